/** The fake GitHub; its parts live in `./github/`. */
export * from "./github/index.js";
