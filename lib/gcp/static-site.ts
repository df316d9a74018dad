import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { shellQuote } from '../app/boot-script';
import { boundedName } from '../naming';
import { StorageBucket, StorageBucketIamMember } from '../providers/google';
import { RULES, checkRules, refuseTokenEncodings } from '../rules';
import { ProblemCollector } from '../validation';
import { ManagedCertificates } from './certificates';
import { PublicDns } from './dns';
import { BucketErrorResponse, HttpsLoadBalancer } from './load-balancer';
import { DNS_NAME, inZone } from '../hosts';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';
import { CACHED_CACHE_CONTROL, REVALIDATED_EXTENSIONS, REVALIDATED_FOLDER, revalidatedCacheControl } from '../static-cache';

/** `text` as a Python regex matching itself. */
function escapeRegex(text: string): string {
  return text.replace(/[.^$*+?{}[\]\\|()]/g, '\\$&');
}

/** One path segment of an object name: URL-safe characters, not starting with a dot. */
const SEGMENT = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*';
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
/** The construct's route key in the load balancer (`<namePrefix>-site-backend`). */
const ROUTE = 'site';

/** Props of `GcpStaticSite`. */
export interface GcpStaticSiteProps {
  /** GCP project id. */
  readonly project: string;
  /**
   * Start of every resource name: `<namePrefix>-lb-ip`, `<namePrefix>-url-map`, `<namePrefix>-site-backend`,
   * the certificates and a created DNS zone (`<namePrefix>-public`). Lowercase letters, digits and hyphens,
   * starting with a letter, at most 49 characters. Changing it replaces the resources.
   */
  readonly namePrefix: string;
  /** The domain of the Cloud DNS zone the records go into (`example.com`). */
  readonly domain: string;
  /**
   * Full host names the site answers at, each the domain or a name under it (at most 15: one certificate
   * each). The first is the site's URL.
   * @default - [domain]
   */
  readonly hosts?: readonly string[];
  /**
   * Name of the bucket holding the files; global across Cloud Storage.
   * @default - `<project>-<namePrefix>-site`, cut to 63 characters
   */
  readonly bucketName?: string;
  /**
   * The bucket's location. The load balancer and Cloud CDN serve it worldwide; a multi-region keeps cache
   * misses close to most visitors.
   * @default 'US'
   */
  readonly location?: string;
  /**
   * Cloud CDN in front of the bucket (`CACHE_ALL_STATIC`: an hour by default, at most a day, or what the
   * object's `Cache-Control` says). `uploadScript()` then invalidates the cache after an upload.
   * @default true
   */
  readonly cdn?: boolean;
  /**
   * Page served for `/` and for a folder (`/docs/` → `docs/index.html`; `/docs`, when no object has that
   * name, redirects to `/docs/`): the bucket's main page suffix. A file name, no slash.
   * @default 'index.html'
   */
  readonly indexPage?: string;
  /**
   * Page answered, with status 404, for a path the bucket does not hold (the bucket's not-found page). An
   * object name without a leading slash; `perseus export-error-page --code 404 --output pkg/404.html`
   * writes the default one into the export. `false`: Cloud Storage's own 404 answer. Not used with `spa`.
   * @default '404.html'
   */
  readonly notFoundPage?: string | false;
  /**
   * A single-page app: every path the bucket does not hold is answered with the index page and status 200
   * (the URL map's custom error response policy), and the app routes in the browser. A missing asset then
   * also gets the index page.
   * @default false
   */
  readonly spa?: boolean;
  /**
   * Name of an existing Cloud DNS zone for `domain`; the A records go there.
   * @default - a new public zone `<namePrefix>-public` (point the registrar at its name servers)
   */
  readonly dnsZoneName?: string;
  /** Members given `roles/storage.objectAdmin` on the bucket, to upload (a CI service account, say). @default [] */
  readonly writers?: readonly string[];
  /** Let `terraform destroy` delete the bucket while it still holds the site's files. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * A static site (the output of `perseus export`, or any folder of files) on GCP: a Cloud Storage bucket behind
 * the global external HTTPS load balancer (HTTP redirected to HTTPS), Cloud CDN, one Google-managed
 * certificate and one A record per host, the bucket's website settings for the index and 404 pages, or a
 * single-page-app fallback.
 *
 * The bucket is public-read (`allUsers` has `roles/storage.objectViewer`) by design: a backend bucket serves
 * only objects anyone may read, so everything uploaded is public at `https://storage.googleapis.com/<bucket>/…`
 * too. Put nothing in it that the site does not publish. Uniform bucket-level access, so no object ACLs.
 *
 * Pages in Perseus' layout (`about/index.html`) are served by the bucket's main page suffix, which applies to
 * every folder: `/about/` answers `about/index.html` and `/about` redirects there. Cloud Storage cannot rewrite
 * `/about` to `about.html`, so `uploadScript()` stores such pages also without `.html`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'fs';
 * import { App, TerraformOutput, TerraformStack } from 'cdktf';
 * import { GoogleProvider, gcp } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'docs');
 * new GoogleProvider(stack, 'google', { project: 'my-docs', region: 'europe-west4' });
 * const apis = new gcp.ProjectServices(stack, 'apis', { project: 'my-docs', services: ['compute.googleapis.com', 'dns.googleapis.com', 'storage.googleapis.com'] });
 * gcp.WaitForApis.apply(stack, apis);
 * const site = new gcp.GcpStaticSite(stack, 'site', {
 *   project: 'my-docs',
 *   namePrefix: 'docs',
 *   domain: 'example.com',
 *   hosts: ['docs.example.com'],
 *   dnsZoneName: 'example-com', // the zone that already serves example.com
 * });
 * new TerraformOutput(stack, 'url', { value: site.url });
 * // After `cdktf deploy`, run this script to publish `perseus deploy -e`'s pkg/ folder.
 * writeFileSync('upload-docs.sh', site.uploadScript('pkg'), { mode: 0o755 });
 * app.synth();
 * ```
 */
export class GcpStaticSite extends Construct {
  /** The public-read bucket holding the files. */
  public readonly bucket: StorageBucket;
  /** The HTTPS load balancer with the backend bucket. */
  public readonly loadBalancer: HttpsLoadBalancer;
  /** One managed certificate per host. */
  public readonly certificates: ManagedCertificates;
  /** The zone with the hosts' A records. */
  public readonly dns: PublicDns;
  /** The hosts the site answers at, the first one its URL. */
  public readonly hosts: readonly string[];
  /** `https://` and the first host. */
  public readonly url: string;
  private readonly props: GcpStaticSiteProps;
  private readonly bucketName: string;
  private readonly indexPage: string;
  private readonly notFoundPage: string | false;
  private writerCount = 0;

  constructor(scope: Construct, id: string, props: GcpStaticSiteProps) {
    super(scope, id);
    literalStrings(this);
    const domain = props.domain;
    const hosts = props.hosts ?? [domain];
    const bucketName = props.bucketName ?? boundedName(`${props.project}-${props.namePrefix}-site`, 63);
    const indexPage = props.indexPage ?? 'index.html';
    const spa = props.spa ?? false;
    const notFoundPage = spa ? false : (props.notFoundPage ?? '404.html');
    const writers = props.writers ?? [];

    const problems = new ProblemCollector('props.');
    checkRules(problems, { project: [props.project, RULES.gcpProject] });
    problems.check(/^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/.test(props.namePrefix), 'namePrefix', props.namePrefix, 'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 49 characters');
    problems.check(DNS_NAME.test(domain), 'domain', domain, 'a lowercase domain name such as example.com');
    problems.check(hosts.length >= 1 && hosts.length <= 15, 'hosts', hosts, 'from 1 to 15 host names (one certificate each; a target HTTPS proxy takes at most 15)');
    hosts.forEach((host, i) => {
      const under = inZone(host, domain);
      problems.check(DNS_NAME.test(host) && under && hosts.indexOf(host) === i, `hosts[${i}]`, host, `a lowercase host name that is ${domain} or under it, each once`);
    });
    problems.check(BUCKET.test(bucketName) && !bucketName.split('.').some((part) => part.length > 63), 'bucketName', bucketName, 'a bucket name: lowercase letters, digits, dots, hyphens, underscores, 3 to 222 characters; dot-separated parts of at most 63');
    problems.check(props.location === undefined || /^[A-Za-z0-9-]+$/.test(props.location), 'location', props.location, 'a Cloud Storage location such as US, EU or europe-west4');
    problems.check(new RegExp(`^${SEGMENT}$`).test(indexPage), 'indexPage', indexPage, 'a file name such as index.html: letters, digits, . _ ~ -, no slash');
    if (props.notFoundPage !== undefined && props.notFoundPage !== false) {
      problems.check(new RegExp(`^${SEGMENT}(/${SEGMENT})*$`).test(props.notFoundPage), 'notFoundPage', props.notFoundPage, 'false or an object name without a leading slash, such as 404.html');
      // The default page is simply unused with spa; one given on purpose would be silently ignored.
      problems.check(!spa, 'notFoundPage', props.notFoundPage, 'false or nothing with spa, which answers every missing path with the index page');
    }
    if (props.dnsZoneName !== undefined) {
      problems.check(/^[a-z][a-z0-9-]{0,62}$/.test(props.dnsZoneName), 'dnsZoneName', props.dnsZoneName, 'a Cloud DNS zone name: lowercase letters, digits and hyphens');
    }
    writers.forEach((member, i) => problems.check(/^[A-Za-z]+:\S+$/.test(member), `writers[${i}]`, member, 'an IAM member such as serviceAccount:ci@my-project.iam.gserviceaccount.com'));
    refuseTokenEncodings(problems, { domain: props.domain, hosts: props.hosts, indexPage: props.indexPage, notFoundPage: props.notFoundPage, location: props.location, dnsZoneName: props.dnsZoneName, writers: props.writers });
    problems.throwIfAny(`GcpStaticSite "${this.node.path}"`);

    this.props = props;
    this.hosts = [...hosts];
    this.url = `https://${hosts[0]}`;
    this.bucketName = bucketName;
    this.indexPage = indexPage;
    this.notFoundPage = notFoundPage;

    this.bucket = new StorageBucket(this, 'Bucket', {
      project: props.project,
      name: bucketName,
      location: props.location ?? 'US',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'inherited',
      forceDestroy: props.forceDestroy ?? false,
      website: { mainPageSuffix: indexPage, notFoundPage: notFoundPage === false ? undefined : notFoundPage },
    });
    suppressGuardrails(this.bucket, [
      { rule: 'GCP-GCS-PUBLIC-ACCESS-PREVENTION', reason: "the bucket is the public site's origin; public access prevention would refuse the allUsers read grant", attributes: ['public_access_prevention'] },
      { rule: 'GCP-GCS-VERSIONING', reason: 'allUsers may list and read every generation, so old versions would keep removed files public; the site is rebuilt from its source', attributes: ['versioning.enabled'] },
    ]);
    // Public by design: a backend bucket serves only objects anyone may read.
    const publicRead = new StorageBucketIamMember(this, 'PublicRead', { bucket: this.bucket.name, role: 'roles/storage.objectViewer', member: 'allUsers' });
    suppressGuardrails(publicRead, [
      {
        rule: 'GCP-GCS-PUBLIC-LIST',
        reason: 'Cloud Storage answers 403, not 404, for a missing object to callers who cannot list, so the 404 page and spa fallback need it; every file is published',
        attributes: ['member'],
      },
    ]);
    for (const member of writers) this.grantWrite(member);

    this.certificates = new ManagedCertificates(this, 'Certificates', { project: props.project, namePrefix: props.namePrefix, hosts });
    // A missing object is a 404 from the bucket (allUsers may list it, so never a 403); spa turns it into the index.
    const errorResponses: BucketErrorResponse[] = spa ? [{ codes: ['404'], path: `/${indexPage}`, overrideCode: 200 }] : [];
    this.loadBalancer = new HttpsLoadBalancer(this, 'LoadBalancer', {
      project: props.project,
      namePrefix: props.namePrefix,
      services: [],
      buckets: [{ key: ROUTE, hosts: [...hosts], bucketName: this.bucket.name, cdn: props.cdn ?? true, errorResponses }],
      defaultServiceKey: ROUTE,
      certificates: this.certificates.ids,
    });
    this.dns = new PublicDns(this, 'Dns', { project: props.project, domain, namePrefix: props.namePrefix, existingZoneName: props.dnsZoneName });
    for (const host of hosts) this.dns.addARecord(host, this.loadBalancer.ipAddress);
  }

  /** The load balancer's IP address, where every host's A record points. */
  get ipAddress(): string {
    return this.loadBalancer.ipAddress;
  }

  /** Lets `member` upload, replace and delete the site's files. */
  grantWrite(member: string): void {
    new StorageBucketIamMember(this, `Writer${this.writerCount++}`, { bucket: this.bucket.name, role: 'roles/storage.objectAdmin', member });
  }

  /**
   * A bash script that publishes a folder (`perseus deploy -e`, the production static export, writes `pkg`; the script's first argument
   * overrides it) with `gcloud`, signed in as a writer of the bucket:
   * 1. mirrors the folder into the bucket (`gcloud storage rsync --delete-unmatched-destination-objects`), types
   *    guessed from the extensions, in two runs by `Cache-Control`: pages, code, styles, data (`.html`, `.js`,
   *    `.mjs`, `.css`, `.json`, `.wasm`) and everything under `.perseus/` get
   *    `public, max-age=0, s-maxage=3600, must-revalidate` (`no-cache` without Cloud CDN), as Perseus' bundle and
   *    translations keep their names from release to release; other files get `public, max-age=3600`;
   * 2. stores each page written as `<name>.html` again as `<name>` (`Content-Type: text/html`), as Cloud Storage
   *    cannot map `/<name>` to `<name>.html`: a generator's one-file pages, and Perseus' pages whose path ends
   *    in `index`. Perseus' other pages are `<path>/index.html`, which the bucket's main page suffix serves at
   *    `/<path>/` (and `/<path>` redirects there), so they need no copy; neither do the 404 page and files in dot
   *    folders (`.perseus/`). Step 1 excludes these copies, so it neither deletes nor re-types a live one; the
   *    copy of a page that is gone matches nothing and is deleted;
   * 3. with Cloud CDN, invalidates the cache, which takes `compute.urlMaps.invalidateCache` on the project
   *    (`roles/compute.loadBalancerAdmin`, say).
   *
   * An object `rsync` leaves alone as unchanged keeps the headers it was uploaded with (docs/perseus.md says how
   * to rewrite them once).
   * @param localDir the default folder, relative to where the script runs or absolute
   */
  uploadScript(localDir = 'pkg'): string {
    const names = { project: this.props.project, namePrefix: this.props.namePrefix, bucketName: this.bucketName };
    for (const [field, value] of Object.entries(names)) {
      if (Token.isUnresolved(value)) throw new Error(`GcpStaticSite "${this.node.path}": uploadScript() needs ${field} as plain text, not a token`);
    }
    const lines = [
      '#!/usr/bin/env bash',
      `# Publishes a static export to ${this.url} (gs://${this.bucketName}). Usage: $0 [folder]`,
      'set -euo pipefail',
      `default_dir=${shellQuote(localDir)}`,
      'dir="${1:-$default_dir}"',
      'dir="${dir%/}"',
      `bucket=${shellQuote(`gs://${this.bucketName}`)}`,
      `index_page=${shellQuote(this.indexPage)}`,
      `not_found_page=${shellQuote(this.notFoundPage || '')}`,
      `revalidate=${shellQuote(revalidatedCacheControl(this.props.cdn ?? true))}`,
      `cached=${shellQuote(CACHED_CACHE_CONTROL)}`,
      '[ -f "$dir/$index_page" ] || { echo "$dir/$index_page is missing: export the site first" >&2; exit 1; }',
      'if [ -n "$not_found_page" ] && [ ! -f "$dir/$not_found_page" ]; then echo "warning: $dir/$not_found_page is missing; a missing path gets Cloud Storage\'s plain 404" >&2; fi',
      'pages="$(mktemp -d)"',
      "trap 'rm -rf -- \"$pages\"' EXIT",
      '',
      '# Each <name>.html page again as <name> (not index pages, which the main page suffix serves, nor the 404 page',
      '# or dot folders), and a regex matching exactly those names (Python syntax; commas written \\x2c, as gcloud',
      '# splits the flag at commas). A copy goes to the first staging tree $pages/<t> where its name is free, as a',
      '# page and a folder of pages may share a name (docs.html, docs/intro.html).',
      "pattern=''",
      'trees=0',
      'while IFS= read -r -d \'\' file; do',
      '  rel="${file#"$dir"/}"',
      '  case "/$rel" in */.*) continue ;; esac',
      '  if [ "${rel##*/}" = "$index_page" ] || [ "$rel" = "$not_found_page" ]; then continue; fi',
      '  name="${rel%.html}"',
      '  t=0',
      '  while [ -e "$pages/$t/$name" ] || ! mkdir -p -- "$(dirname -- "$pages/$t/$name")" 2>/dev/null; do',
      '    [ -d "$pages/$t" ] || { echo "cannot stage a copy of $rel in $pages" >&2; exit 1; }',
      '    t=$((t + 1))',
      '  done',
      '  cp -p -- "$file" "$pages/$t/$name"',
      '  if [ "$t" -ge "$trees" ]; then trees=$((t + 1)); fi',
      "  escaped=\"$(printf '%s' \"$name\" | sed -e 's/[].^$*+?{}|()\\\\[]/\\\\&/g' -e 's/,/\\\\x2c/g')\"",
      '  pattern="${pattern:+$pattern|}$escaped"',
      "done < <(find \"$dir\" -type f -name '*.html' -print0)",
      `fresh=${shellQuote(`(?:${escapeRegex(REVALIDATED_FOLDER)}/|.*\\.(?:${REVALIDATED_EXTENSIONS.join('|')})\\Z)`)}`,
      "copies=\"${pattern:+|(?:$pattern)\\Z}\"",
      '',
      '# Pages, code, styles, data and .perseus/ (fixed names) must come from one release: browsers revalidate them.',
      '# Each run leaves the other\'s files (and the copies) alone, deletions included; pages go last.',
      'gcloud storage rsync --recursive --delete-unmatched-destination-objects --cache-control="$cached" --exclude="\\A(?:$fresh$copies)" "$dir" "$bucket"',
      'gcloud storage rsync --recursive --delete-unmatched-destination-objects --cache-control="$revalidate" --exclude="\\A(?:(?!$fresh)$copies)" "$dir" "$bucket"',
      'for ((t = 0; t < trees; t++)); do',
      '  gcloud storage rsync --recursive --content-type=text/html --cache-control="$revalidate" "$pages/$t" "$bucket"',
      'done',
    ];
    if (this.props.cdn ?? true) {
      lines.push(`gcloud compute url-maps invalidate-cdn-cache ${shellQuote(this.loadBalancer.urlMap.nameInput!)} --project=${shellQuote(this.props.project)} --global --path='/*' --async`);
    }
    return [...lines, ''].join('\n');
  }
}
