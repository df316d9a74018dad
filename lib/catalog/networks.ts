// Private IPv4 ranges a VPC may use, so a public range (whose internet addresses the VPC would shadow) is a config
// error. Data only, no provider imports (the config schema uses it).

/** Where the ranges come from and when the list was last compared with it. */
export const PRIVATE_RANGES_SOURCE = {
  url: 'https://www.rfc-editor.org/rfc/rfc1918',
  // RFC 6598's shared address space, and AWS's own advice on VPC ranges.
  alsoUrl: 'https://www.rfc-editor.org/rfc/rfc6598, https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html',
  checked: '2026-11-29',
} as const;

/**
 * RFC 1918's three private ranges, and RFC 6598's shared address space (100.64.0.0/10): not routed on the internet
 * either, accepted for a VPC, and a way out when peered networks already use the RFC 1918 ranges.
 */
export const PRIVATE_IPV4_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An IPv4 CIDR block as its first address (a 32-bit number) and prefix length; undefined if it is not one. */
export function parseIpv4Cidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { address: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

const RANGES = PRIVATE_IPV4_RANGES.map((r) => parseIpv4Cidr(r)!);

/** Whether a block lies wholly inside one of PRIVATE_IPV4_RANGES. */
function isPrivate(block: { address: number; prefix: number }): boolean {
  return RANGES.some((r) => block.prefix >= r.prefix && Math.floor(block.address / 2 ** (32 - r.prefix)) === Math.floor(r.address / 2 ** (32 - r.prefix)));
}

/**
 * What is wrong with a VPC range, each completing "expected ...": not an IPv4 block, a prefix outside `min`..`max`,
 * host bits set, or a range outside PRIVATE_IPV4_RANGES. Empty when it is fine.
 */
export function privateCidrProblems(cidr: string, prefixes: { min: number; max: number }): string[] {
  const example = `such as 10.0.0.0/${prefixes.min}`;
  const block = parseIpv4Cidr(cidr);
  if (!block) return [`a private IPv4 network in CIDR notation ${example}`];
  const problems: string[] = [];
  if (block.prefix < prefixes.min || block.prefix > prefixes.max) problems.push(`a private IPv4 network with a prefix from /${prefixes.min} to /${prefixes.max}, ${example}`);
  const size = 2 ** (32 - block.prefix);
  if (block.address % size !== 0) {
    const start = block.address - (block.address % size);
    const network = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.');
    problems.push(`a private IPv4 network given by its first address (${network}/${block.prefix})`);
  }
  if (!isPrivate(block)) problems.push(`a private IPv4 network inside ${PRIVATE_IPV4_RANGES.join(', ')} (RFC 1918 and RFC 6598), ${example}: a public range would hide those internet addresses from the servers`);
  return problems;
}
