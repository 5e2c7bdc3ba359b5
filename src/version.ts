/** The emulator's version, reported by --version and the health endpoint. */
export const VERSION = "0.1.0";
