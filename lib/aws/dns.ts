import { Fn, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate, AcmCertificateValidation, Route53Record, Route53Zone } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { HOSTED_ZONE_ID } from './common';
import { DNS_NAME } from '../hosts';
import { literalStrings } from '../terraform-strings';


/** Props of `DnsZone`. */
export interface DnsZoneProps {
  /** The domain the zone serves (`example.com`). */
  readonly domain: string;
  /**
   * Id of an existing public hosted zone for `domain` (`Z0123456789ABCDEFGHIJ`). Without it the stack creates
   * the zone; then delegate the domain to its `nameServers` at your registrar before certificates can validate.
   * @default - a new hosted zone
   */
  readonly hostedZoneId?: string;
}

/** The Route 53 hosted zone of the domain: an existing one by id, or a new one. */
export class DnsZone extends Construct {
  /** The zone this construct created; undefined when an existing zone id was given. */
  public readonly zone?: Route53Zone;
  /** The zone's id (created or given). */
  public readonly zoneId: string;
  /** The zone's domain. */
  public readonly domain: string;
  /** Name servers of a created zone (a token); undefined for an existing zone. */
  public readonly nameServers?: string[];

  constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(DNS_NAME.test(props.domain), 'domain', props.domain, 'a lowercase DNS name such as example.com');
    if (props.hostedZoneId !== undefined) {
      problems.check(HOSTED_ZONE_ID.test(props.hostedZoneId), 'hostedZoneId', props.hostedZoneId, 'a Route 53 hosted zone id: Z followed by uppercase letters and digits');
    }
    problems.throwIfAny(`DnsZone "${this.node.path}"`);
    this.domain = props.domain;
    if (props.hostedZoneId) {
      this.zoneId = props.hostedZoneId;
    } else {
      this.zone = new Route53Zone(this, 'Resource', { name: props.domain, comment: `Managed by cdktf-serverpod for ${props.domain}` });
      this.zoneId = this.zone.zoneId;
      this.nameServers = this.zone.nameServers;
    }
  }
}

/** Props of `DnsValidatedCertificate`. */
export interface DnsValidatedCertificateProps {
  /** The zone the validation record goes into; the certificate covers its domain and `*.` of it. */
  readonly zone: DnsZone;
  /**
   * Provider to create the certificate with: the `us-east-1` alias for a certificate CloudFront uses.
   * @default - the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Validate through another certificate's record for the same domain instead of writing it again: ACM gives
   * one account the same validation record in every region, and a record owned twice would be deleted with
   * whichever certificate goes first, breaking the other's renewal.
   * @default - this certificate writes the record
   */
  readonly validationRecordOf?: DnsValidatedCertificate;
}

/**
 * An ACM certificate for the domain and `*.domain`, validated through a Route 53 record. The wildcard covers
 * every host of every environment (`api.`, `api-staging.`, `storage.`, ...), so adding staging or a host never
 * replaces the certificate. ACM gives the apex and its wildcard the same validation record, so one record
 * validates both. Use `certificateArn` (from the validation): listeners and distributions then wait until the
 * certificate is issued.
 */
export class DnsValidatedCertificate extends Construct {
  /** The ACM certificate. */
  public readonly certificate: AcmCertificate;
  /** The validation record (the other certificate's, with `validationRecordOf`). */
  public readonly validationRecord: Route53Record;
  /** The wait for validation; depend on it (or use `certificateArn`) to use the certificate once issued. */
  public readonly validation: AcmCertificateValidation;
  /** ARN of the issued certificate (known once validation succeeds). */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    literalStrings(this);
    const domain = props.zone.domain;
    this.certificate = new AcmCertificate(this, 'Resource', {
      provider: props.provider,
      domainName: domain,
      subjectAlternativeNames: [`*.${domain}`],
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      lifecycle: { createBeforeDestroy: true },
    });
    const option = Fn.element(Fn.tolist(this.certificate.domainValidationOptions), 0);
    this.validationRecord = props.validationRecordOf?.validationRecord ?? new Route53Record(this, 'ValidationRecord', {
      zoneId: props.zone.zoneId,
      name: Fn.lookup(option, 'resource_record_name'),
      type: Fn.lookup(option, 'resource_record_type'),
      records: [Fn.lookup(option, 'resource_record_value')],
      ttl: 300,
      // A record left by an earlier certificate of the domain is taken over, not refused.
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, 'Validation', {
      provider: props.provider,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [this.validationRecord.fqdn],
    });
    this.certificateArn = this.validation.certificateArn;
  }
}

/** Props of `AliasRecord`. */
export interface AliasRecordProps {
  /** The hosted zone the records go into. */
  readonly zoneId: string;
  /** Full host name (`api.example.com`). */
  readonly name: string;
  /** DNS name of the target (load balancer or distribution). */
  readonly targetDnsName: string;
  /** Hosted zone id of the target. */
  readonly targetZoneId: string;
  /**
   * Also create an AAAA record (targets that serve IPv6: CloudFront).
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * Whether Route 53 checks the target's health.
   * @default false
   */
  readonly evaluateTargetHealth?: boolean;
}

/** An A (and optionally AAAA) alias record to a load balancer or distribution: no TTL, no CNAME at the apex. */
export class AliasRecord extends Construct {
  /** The A alias record. */
  public readonly a: Route53Record;
  /** The AAAA alias record, with `ipv6`. */
  public readonly aaaa?: Route53Record;

  constructor(scope: Construct, id: string, props: AliasRecordProps) {
    super(scope, id);
    literalStrings(this);
    const alias = { name: props.targetDnsName, zoneId: props.targetZoneId, evaluateTargetHealth: props.evaluateTargetHealth ?? false };
    this.a = new Route53Record(this, 'A', { zoneId: props.zoneId, name: props.name, type: 'A', alias });
    if (props.ipv6) this.aaaa = new Route53Record(this, 'AAAA', { zoneId: props.zoneId, name: props.name, type: 'AAAA', alias });
  }
}
