import { Construct } from 'constructs';
import { ProjectService } from '../providers/google';
import { ProblemCollector } from '../validation';

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
