export { freePort } from "../../src/common/net.js";
