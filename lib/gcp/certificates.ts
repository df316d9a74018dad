import { Construct } from 'constructs';
import { ComputeManagedSslCertificate } from '../providers/google';
import { boundedName } from '../naming';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Props of `ManagedCertificates`. */
export interface ManagedCertificatesProps {
  /** The GCP project id. */
  readonly project: string;
  /** Prefix of the certificate names. */
  readonly namePrefix: string;
  /** Every host the load balancer serves. */
  readonly hosts: readonly string[];
}

/**
 * Google-managed certificates, one per host. Adding or removing a host adds or removes only that host's
 * certificate: the others stay attached and keep serving, where one certificate for all hosts would have to
 * be replaced (and re-provisioned, up to an hour without TLS) or fail with `resourceInUseByAnotherResource`
 * (terraform-google-lb-http #207, #159, #241). Names derive from the host and certificates are created before
 * the ones they replace. A target HTTPS proxy takes up to 15.
 */
export class ManagedCertificates extends Construct {
  /** Certificates by host. */
  public readonly byHost: Readonly<Record<string, ComputeManagedSslCertificate>>;

  constructor(scope: Construct, id: string, props: ManagedCertificatesProps) {
    super(scope, id);
    literalStrings(this);
    const hosts = [...new Set(props.hosts)].sort();
    const problems = new ProblemCollector('props.');
    problems.check(hosts.length >= 1 && hosts.length <= 15, 'hosts', hosts, 'from 1 to 15 hosts (a target HTTPS proxy takes at most 15 certificates)');
    problems.throwIfAny(`ManagedCertificates "${this.node.path}"`);

    const byHost: Record<string, ComputeManagedSslCertificate> = {};
    for (const host of hosts) {
      byHost[host] = new ComputeManagedSslCertificate(this, host, {
        project: props.project,
        name: boundedName(`${props.namePrefix}-cert-${host.replace(/\./g, '-')}`, 63),
        managed: { domains: [`${host}.`] },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    this.byHost = byHost;
  }

  /** Certificate ids, for the target HTTPS proxy. */
  get ids(): string[] {
    return Object.values(this.byHost).map((c) => c.id);
  }
}
