import { Construct } from 'constructs';
import {
  ComputeBackendBucket,
  ComputeBackendService,
  ComputeGlobalAddress,
  ComputeGlobalForwardingRule,
  ComputeHealthCheck,
  ComputeSslPolicy,
  ComputeTargetHttpProxy,
  ComputeTargetHttpsProxy,
  ComputeUrlMap,
  ComputeUrlMapHostRule,
  ComputeUrlMapPathMatcher,
} from '../providers/google';
import { HealthCheck } from '../app/profile';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Traffic for some hosts, sent to one named port of an instance group. */
export interface InstanceGroupRoute {
  /** Unique key, used in construct ids and names (`production-api`). */
  readonly key: string;
  /** The hosts routed here. */
  readonly hosts: readonly string[];
  /** The instance group (its `instanceGroup` URL). */
  readonly instanceGroup: string;
  /** Named port of the group (`api`). */
  readonly portName: string;
  /** The port's number, probed by this backend's health check. */
  readonly port: number;
  /** Probe settings (path, interval, thresholds). */
  readonly healthCheck: Pick<HealthCheck, 'path' | 'intervalSec' | 'timeoutSec' | 'healthyThreshold' | 'unhealthyThreshold'>;
  /** Cloud CDN in front of this backend (caches only what the server marks cacheable). @default false */
  readonly cdn?: boolean;
}

/** Traffic for some hosts, sent to a Cloud Run service through a serverless network endpoint group. */
export interface ServerlessRoute {
  /** Unique key, used in construct ids and names (`production-api`). */
  readonly key: string;
  /** The hosts routed here. */
  readonly hosts: readonly string[];
  /** Id of the serverless network endpoint group. Cloud Run itself limits request time; no health check applies. */
  readonly serverlessNeg: string;
  /** @default false */
  readonly cdn?: boolean;
}

/** A route to servers: an instance group's port or a Cloud Run service. */
export type ServiceRoute = InstanceGroupRoute | ServerlessRoute;

/**
 * What the load balancer answers instead of an error from a bucket route: the object at `path` in the same
 * bucket, with the original status or `overrideCode`. A global external Application Load Balancer feature
 * (the URL map's custom error response policy).
 */
export interface BucketErrorResponse {
  /** Status codes this applies to: `'404'` (400 to 599), or a class, `'4xx'` or `'5xx'`. An exact code wins over a class. */
  readonly codes: readonly string[];
  /** The object served instead, from the bucket's root (`/404.html`). */
  readonly path: string;
  /** The status sent with it (200 for a single-page app's index). @default - the original status */
  readonly overrideCode?: number;
}

/** Traffic for some hosts, served from a bucket. */
export interface BucketRoute {
  /** Unique key, used in construct ids and names (`production-storage`). */
  readonly key: string;
  /** The hosts routed here. */
  readonly hosts: readonly string[];
  /** The bucket served (through a backend bucket). */
  readonly bucketName: string;
  /** @default false */
  readonly cdn?: boolean;
  /** Objects served instead of this bucket's error responses. @default [] */
  readonly errorResponses?: readonly BucketErrorResponse[];
}

/** Props of `HttpsLoadBalancer`. */
export interface HttpsLoadBalancerProps {
  /** The GCP project id. */
  readonly project: string;
  /** Prefix of every name (`serverpod` gives `serverpod-url-map`). */
  readonly namePrefix: string;
  /** Routes to servers; may be empty when a bucket route is the default. */
  readonly services: readonly ServiceRoute[];
  /** @default [] */
  readonly buckets?: readonly BucketRoute[];
  /** Key of the route, service or bucket, that answers hosts no rule names. */
  readonly defaultServiceKey: string;
  /** Certificate ids for the HTTPS proxy (see `ManagedCertificates`). */
  readonly certificates: readonly string[];
  /**
   * How long a request, or a WebSocket connection, may last on instance-group backends, in seconds. Google's
   * default of 30 s cut Serverpod's streaming connections. (Cloud Run backends use the service's own timeout.)
   * @default 3600
   */
  readonly backendTimeoutSec?: number;
}

/**
 * A global external Application Load Balancer (Envoy-based) on one reserved IP for every host: HTTPS on 443
 * with an SSL policy of TLS 1.2 or newer, host rules to one backend per service route (each with its own
 * health check) or bucket, and HTTP on 80 answering every request with a redirect to HTTPS. A bucket alone
 * (no service routes) is enough for a static site.
 */
export class HttpsLoadBalancer extends Construct {
  /** The reserved global IP address. */
  public readonly address: ComputeGlobalAddress;
  /** TLS 1.2 or newer, the MODERN profile. */
  public readonly sslPolicy: ComputeSslPolicy;
  /** Backend services by route key. */
  public readonly backendServices: Readonly<Record<string, ComputeBackendService>>;
  /** Health checks by route key (instance-group routes only). */
  public readonly healthChecks: Readonly<Record<string, ComputeHealthCheck>>;
  /** Backend buckets by route key. */
  public readonly backendBuckets: Readonly<Record<string, ComputeBackendBucket>>;
  /** The HTTPS URL map: host rules to the backends. */
  public readonly urlMap: ComputeUrlMap;
  /** The HTTPS proxy, with the certificates and SSL policy. */
  public readonly httpsProxy: ComputeTargetHttpsProxy;
  /** The HTTPS forwarding rule (port 443). */
  public readonly httpsRule: ComputeGlobalForwardingRule;
  /** The HTTP URL map: a redirect to HTTPS for every request. */
  public readonly redirectUrlMap: ComputeUrlMap;
  /** The HTTP proxy. */
  public readonly httpProxy: ComputeTargetHttpProxy;
  /** The HTTP forwarding rule (port 80). */
  public readonly httpRule: ComputeGlobalForwardingRule;

  constructor(scope: Construct, id: string, props: HttpsLoadBalancerProps) {
    super(scope, id);
    literalStrings(this);
    const timeout = props.backendTimeoutSec ?? 3600;
    const buckets = props.buckets ?? [];
    const problems = new ProblemCollector('props.');
    problems.check(Number.isInteger(timeout) && timeout >= 1 && timeout <= 86400, 'backendTimeoutSec', timeout, 'a whole number of seconds from 1 to 86400');
    const routes = [...props.services, ...buckets];
    problems.check(routes.some((r) => r.key === props.defaultServiceKey), 'defaultServiceKey', props.defaultServiceKey, `the key of a service or bucket route (${routes.map((r) => r.key).join(', ')})`);
    problems.check(props.certificates.length >= 1, 'certificates', props.certificates, 'at least one certificate');
    const seen = new Map<string, string>();
    const keys = new Set<string>();
    for (const route of routes) {
      problems.check(/^[a-z][a-z0-9-]{0,30}$/.test(route.key), `routes[${route.key}].key`, route.key, 'lowercase letters, digits and hyphens, at most 31 characters');
      problems.check(!keys.has(route.key), `routes[${route.key}].key`, route.key, 'a key no other route has');
      keys.add(route.key);
      for (const host of route.hosts) {
        problems.check(!seen.has(host), `routes[${route.key}].hosts`, host, `a host no other route has (${seen.get(host)} has it)`);
        seen.set(host, route.key);
      }
    }
    for (const route of buckets) errorResponseProblems(problems, `routes[${route.key}].errorResponses`, route.errorResponses ?? []);
    problems.throwIfAny(`HttpsLoadBalancer "${this.node.path}"`);

    const p = props.namePrefix;
    this.address = new ComputeGlobalAddress(this, 'Address', { project: props.project, name: `${p}-lb-ip`, addressType: 'EXTERNAL', ipVersion: 'IPV4' });
    this.sslPolicy = new ComputeSslPolicy(this, 'SslPolicy', { project: props.project, name: `${p}-ssl-policy`, minTlsVersion: 'TLS_1_2', profile: 'MODERN' });

    const services: Record<string, ComputeBackendService> = {};
    const healthChecks: Record<string, ComputeHealthCheck> = {};
    for (const route of props.services) {
      if ('serverlessNeg' in route) {
        services[route.key] = new ComputeBackendService(this, `Backend-${route.key}`, {
          project: props.project,
          name: `${p}-${route.key}-backend`,
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          protocol: 'HTTPS',
          backend: [{ group: route.serverlessNeg }],
          logConfig: { enable: true, sampleRate: 1 },
          enableCdn: route.cdn ?? false,
          cdnPolicy: route.cdn ? { cacheMode: 'USE_ORIGIN_HEADERS', signedUrlCacheMaxAgeSec: 0 } : undefined,
        });
        continue;
      }
      const hc = route.healthCheck;
      healthChecks[route.key] = new ComputeHealthCheck(this, `HealthCheck-${route.key}`, {
        project: props.project,
        name: `${p}-${route.key}-health-check`,
        checkIntervalSec: hc.intervalSec,
        timeoutSec: hc.timeoutSec,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        httpHealthCheck: { port: route.port, requestPath: hc.path },
      });
      services[route.key] = new ComputeBackendService(this, `Backend-${route.key}`, {
        project: props.project,
        name: `${p}-${route.key}-backend`,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTP',
        portName: route.portName,
        timeoutSec: timeout,
        connectionDrainingTimeoutSec: 30,
        healthChecks: [healthChecks[route.key].id],
        backend: [{ group: route.instanceGroup, balancingMode: 'UTILIZATION', maxUtilization: 0.8, capacityScaler: 1 }],
        logConfig: { enable: true, sampleRate: 1 },
        enableCdn: route.cdn ?? false,
        cdnPolicy: route.cdn ? { cacheMode: 'USE_ORIGIN_HEADERS', signedUrlCacheMaxAgeSec: 0 } : undefined,
      });
    }
    const backendBuckets: Record<string, ComputeBackendBucket> = {};
    for (const route of buckets) {
      backendBuckets[route.key] = new ComputeBackendBucket(this, `BackendBucket-${route.key}`, {
        project: props.project,
        name: `${p}-${route.key}-backend`,
        bucketName: route.bucketName,
        enableCdn: route.cdn ?? false,
        cdnPolicy: route.cdn ? { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600, clientTtl: 3600, maxTtl: 86400 } : undefined,
      });
    }
    this.backendServices = services;
    this.healthChecks = healthChecks;
    this.backendBuckets = backendBuckets;

    const hostRule: ComputeUrlMapHostRule[] = [];
    const pathMatcher: ComputeUrlMapPathMatcher[] = [];
    for (const route of props.services) {
      hostRule.push({ hosts: [...route.hosts], pathMatcher: route.key });
      pathMatcher.push({ name: route.key, defaultService: services[route.key].id });
    }
    for (const route of buckets) {
      const bucket = backendBuckets[route.key];
      const errors = route.errorResponses ?? [];
      hostRule.push({ hosts: [...route.hosts], pathMatcher: route.key });
      pathMatcher.push({
        name: route.key,
        defaultService: bucket.id,
        // Left out when empty, so routes without error responses synthesize as before.
        defaultCustomErrorResponsePolicy: errors.length
          ? { errorService: bucket.id, errorResponseRule: errors.map((e) => ({ matchResponseCodes: [...e.codes], path: e.path, overrideResponseCode: e.overrideCode })) }
          : undefined,
      });
    }
    this.urlMap = new ComputeUrlMap(this, 'UrlMap', {
      project: props.project,
      name: `${p}-url-map`,
      defaultService: (services[props.defaultServiceKey] ?? backendBuckets[props.defaultServiceKey]).id,
      hostRule,
      pathMatcher,
    });
    this.httpsProxy = new ComputeTargetHttpsProxy(this, 'HttpsProxy', {
      project: props.project,
      name: `${p}-https-proxy`,
      urlMap: this.urlMap.id,
      sslCertificates: [...props.certificates],
      sslPolicy: this.sslPolicy.id,
    });
    this.httpsRule = new ComputeGlobalForwardingRule(this, 'HttpsRule', {
      project: props.project,
      name: `${p}-https`,
      ipAddress: this.address.address,
      ipProtocol: 'TCP',
      portRange: '443',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      target: this.httpsProxy.id,
    });
    this.redirectUrlMap = new ComputeUrlMap(this, 'RedirectUrlMap', {
      project: props.project,
      name: `${p}-http-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    });
    this.httpProxy = new ComputeTargetHttpProxy(this, 'HttpProxy', { project: props.project, name: `${p}-http-proxy`, urlMap: this.redirectUrlMap.id });
    this.httpRule = new ComputeGlobalForwardingRule(this, 'HttpRule', {
      project: props.project,
      name: `${p}-http`,
      ipAddress: this.address.address,
      ipProtocol: 'TCP',
      portRange: '80',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      target: this.httpProxy.id,
    });
  }

  /** The load balancer's IP address. */
  get ipAddress(): string {
    return this.address.address;
  }
}

/** Checks a bucket route's error responses: known codes, each at most once, an object path, an HTTP status. */
function errorResponseProblems(problems: ProblemCollector, field: string, responses: readonly BucketErrorResponse[]): void {
  const codes = new Set<string>();
  responses.forEach((response, i) => {
    problems.check(response.codes.length >= 1, `${field}[${i}].codes`, response.codes, 'at least one status code');
    for (const code of response.codes) {
      const valid = /^[45]xx$/.test(code) || (/^\d{3}$/.test(code) && Number(code) >= 400 && Number(code) <= 599);
      problems.check(valid, `${field}[${i}].codes`, code, "'4xx', '5xx' or a status code from 400 to 599");
      problems.check(!codes.has(code), `${field}[${i}].codes`, code, "a code named once in the route's error responses");
      codes.add(code);
    }
    problems.check(/^\/[^\s]*[^/\s]$/.test(response.path) && response.path.length <= 1024, `${field}[${i}].path`, response.path, 'an object path that starts with a slash and does not end with one, at most 1024 characters');
    if (response.overrideCode !== undefined) {
      problems.check(Number.isInteger(response.overrideCode) && response.overrideCode >= 200 && response.overrideCode <= 599, `${field}[${i}].overrideCode`, response.overrideCode, 'an HTTP status from 200 to 599');
    }
  });
}
