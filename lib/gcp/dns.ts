import { Construct } from 'constructs';
import { DnsManagedZone, DnsRecordSet } from '../providers/google';
import { inZone } from '../hosts';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Props of `PublicDns`. */
export interface PublicDnsProps {
  /** The GCP project id. */
  readonly project: string;
  /** The domain the zone serves (`example.com`). */
  readonly domain: string;
  /**
   * Name of an existing Cloud DNS managed zone for the domain. When given, records go there and no zone is
   * created.
   * @default - a new public zone `<namePrefix>-public` (point your registrar at its name servers)
   */
  readonly existingZoneName?: string;
  /** Prefix of a created zone's name. */
  readonly namePrefix: string;
  /** @default 300 */
  readonly ttlSec?: number;
}

/** Public DNS: A records in an existing Cloud DNS zone or in a new one (with DNSSEC on). */
export class PublicDns extends Construct {
  /** The zone created here, when no existing zone was given. */
  public readonly zone?: DnsManagedZone;
  /** The zone's name, where the records go. */
  public readonly zoneName: string;
  /** The domain of the zone created here; undefined for an existing zone (its domain is not known at synth). */
  public readonly domain?: string;
  /** The records added so far. */
  public readonly records: DnsRecordSet[] = [];
  private readonly project: string;
  private readonly ttl: number;

  constructor(scope: Construct, id: string, props: PublicDnsProps) {
    super(scope, id);
    literalStrings(this);
    const ttl = props.ttlSec ?? 300;
    const problems = new ProblemCollector('props.');
    if (props.existingZoneName !== undefined) {
      problems.check(/^[a-z][a-z0-9-]{0,62}$/.test(props.existingZoneName), 'existingZoneName', props.existingZoneName, 'a Cloud DNS zone name: lowercase letters, digits and hyphens');
    }
    problems.check(Number.isInteger(ttl) && ttl >= 30, 'ttlSec', ttl, 'a whole number of at least 30');
    problems.throwIfAny(`PublicDns "${this.node.path}"`);

    this.project = props.project;
    this.ttl = ttl;
    if (props.existingZoneName) {
      this.zoneName = props.existingZoneName;
    } else {
      this.zone = new DnsManagedZone(this, 'Zone', {
        project: props.project,
        name: `${props.namePrefix}-public`,
        dnsName: `${props.domain}.`,
        description: `Public zone of ${props.domain}, managed by cdktf-serverpod`,
        dnssecConfig: { state: 'on' },
      });
      this.zoneName = this.zone.name;
      this.domain = props.domain;
    }
  }

  /** An A record for `host` pointing at `ip`. */
  addARecord(host: string, ip: string): DnsRecordSet {
    return this.addRecord(host, 'A', [ip]);
  }

  /** A record of any type for `host` (a CNAME to `ghs.googlehosted.com.` for Cloud Run domain mappings, say). */
  addRecord(host: string, type: string, rrdatas: string[]): DnsRecordSet {
    // Cloud DNS refuses a record outside the zone only at apply; the patterns' hosts all come through here.
    if (this.domain !== undefined) {
      new ProblemCollector().check(inZone(host, this.domain), 'host', host, `${this.domain} or a name under it (the domain of the zone, where the records go)`).throwIfAny(`PublicDns "${this.node.path}"`);
    }
    const record = new DnsRecordSet(this, host, { project: this.project, managedZone: this.zoneName, name: `${host}.`, type, ttl: this.ttl, rrdatas });
    this.records.push(record);
    return record;
  }
}

/** Props of `PrivateDns`. */
export interface PrivateDnsProps {
  /** The GCP project id. */
  readonly project: string;
  /** Zone name. */
  readonly name: string;
  /** The zone's domain (`private-production.example.com`). */
  readonly dnsName: string;
  /** The VPC (network id) that sees the zone. */
  readonly network: string;
  /** @default 300 */
  readonly ttlSec?: number;
}

/**
 * A private zone only the servers' VPC can resolve, for the database and Redis names that Serverpod's config
 * uses (`database.private-production.example.com`). Nothing here is published on the internet.
 */
export class PrivateDns extends Construct {
  /** The private zone. */
  public readonly zone: DnsManagedZone;
  /** The records added so far. */
  public readonly records: DnsRecordSet[] = [];
  private readonly project: string;
  private readonly dnsName: string;
  private readonly ttl: number;

  constructor(scope: Construct, id: string, props: PrivateDnsProps) {
    super(scope, id);
    literalStrings(this);
    this.project = props.project;
    this.dnsName = props.dnsName;
    this.ttl = props.ttlSec ?? 300;
    this.zone = new DnsManagedZone(this, 'Zone', {
      project: props.project,
      name: props.name,
      dnsName: `${props.dnsName}.`,
      description: `Private names of ${props.dnsName}, managed by cdktf-serverpod`,
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: props.network }] },
    });
  }

  /** `label.<zone>` → `ip`; returns the full host name. */
  addARecord(label: string, ip: string): string {
    const host = `${label}.${this.dnsName}`;
    this.records.push(new DnsRecordSet(this, label, { project: this.project, managedZone: this.zone.name, name: `${host}.`, type: 'A', ttl: this.ttl, rrdatas: [ip] }));
    return host;
  }
}
