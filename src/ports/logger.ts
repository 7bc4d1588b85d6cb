/** The part of pino's logger we use: a metadata object first, then a fixed message. */
export interface Logger {
  debug(meta: object, message: string): void;
  info(meta: object, message: string): void;
  warn(meta: object, message: string): void;
  error(meta: object, message: string): void;
  child(bindings: object): Logger;
}
