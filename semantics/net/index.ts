export { isAddressAllowed, addressRefusal, checkUrl, isHostListed, parseAllowedEndpoints } from "./policy";
export type { OutboundPolicy, Verdict, Resolver } from "./policy";
export { parseIp, parseCidr, inCidr } from "./ip";
export type { ParsedIp, Cidr } from "./ip";
