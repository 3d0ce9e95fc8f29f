// Where the server writes messages: the connection's console (window/logMessage), never stdout.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
