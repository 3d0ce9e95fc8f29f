// The files whose changes can change a diagnostic, for the file watchers of the VS Code client
// and of clients that register them dynamically: configurations, certificates and keys, and what
// decides where a repository is deployed (the project file, compose files, Dockerfiles,
// .gitignore, templates and samples).
export const WATCHED_FILES_GLOB = '**/{*.cfg,*.pem,*.crt,*.cer,*.key,.sip-tls.json,*compose*.yml,*compose*.yaml,Dockerfile*,.gitignore,*.j2,*.tmpl,*.tpl,*.sample}';
