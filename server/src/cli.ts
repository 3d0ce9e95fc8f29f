// Placeholder: the sip-tls command line.
export {};
