import { Construct, IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformResource } from 'cdktf';
import { ProjectService } from '../providers/google';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Props of `ProjectServices`. */
export interface ProjectServicesProps {
  /** GCP project id. */
  readonly project: string;
  /** APIs to enable, such as `compute.googleapis.com`. */
  readonly services: readonly string[];
}

const SERVICE = /^[a-z][a-z0-9.-]*\.googleapis\.com$/;

/**
 * Enables project APIs. They stay enabled when the stack is destroyed (`disable_on_destroy = false`), as in
 * Serverpod's module: disabling an API another stack or person uses would break it.
 * Each API is its own construct (`service-<api>`), so adding one later changes no existing address.
 */
export class ProjectServices extends Construct {
  /** The enabled services by API name; resources that need an API depend on its entry. */
  public readonly services: Readonly<Record<string, ProjectService>>;

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    props.services.forEach((s, i) => problems.check(SERVICE.test(s), `services[${i}]`, s, 'an API name such as compute.googleapis.com'));
    problems.throwIfAny(`ProjectServices "${this.node.path}"`);

    const services: Record<string, ProjectService> = {};
    for (const service of [...new Set(props.services)].sort()) {
      services[service] = new ProjectService(this, `service-${service.replace(/\.googleapis\.com$/, '')}`, {
        project: props.project,
        service,
        disableOnDestroy: false,
        disableDependentServices: false,
      });
    }
    this.services = services;
  }

  /** The services, for `dependsOn` of resources that need the APIs enabled first. */
  get all(): ProjectService[] {
    return Object.values(this.services);
  }
}

/**
 * Makes every Google resource in a scope wait for the project APIs: a first apply on a fresh project would
 * otherwise race the enablement and fail with "API has not been used in project … or it is disabled".
 * An aspect, so constructs need not thread the services through their props.
 */
export class WaitForApis implements IAspect {
  constructor(private readonly services: ProjectServices) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    if (!type.startsWith('google_') || type === 'google_project_service') return;
    // Plain addresses, as depends_on takes them (an fqn token would render wrapped in ${...}).
    const waits = this.services.all.map((s) => `${s.terraformResourceType}.${s.friendlyUniqueId}`);
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...waits])];
  }

  /** Applies the aspect to every resource under `scope`. */
  static apply(scope: IConstruct, services: ProjectServices): void {
    Aspects.of(scope).add(new WaitForApis(services));
  }
}

