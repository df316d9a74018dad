/**
 * Does a deploy identity let in the GitHub Actions tokens a workflow presents, and nothing more? The tokens and
 * the trust are both sets of strings written as patterns (GitHub's branch filters, IAM's `StringLike`, the CEL
 * condition `GithubDeployIdentity` writes), so the check is set inclusion between patterns. No provider imports.
 */

/** A wildcard piece of a pattern; every other piece is one literal character. */
type Wildcard = 'one character' | 'a run without /' | 'any run';
type Piece = string;
const ONE: Wildcard = 'one character'; // IAM `?`
const SEGMENT: Wildcard = 'a run without /'; // GitHub filter `*`
const ANY: Wildcard = 'any run'; // IAM `*`, GitHub filter `**`, CEL startsWith

/** A set of strings: its pieces, and the text it was written as (for messages). */
export interface Glob {
  readonly text: string;
  readonly pieces: readonly Piece[];
}

export function literal(text: string): Glob {
  return { text, pieces: [...text] };
}

/** `prefix` followed by anything: CEL `startsWith(prefix)`. */
export function prefixGlob(prefix: string): Glob {
  return { text: `${prefix}*`, pieces: [...prefix, ANY] };
}

/** An IAM `StringLike` value: `*` any run, `?` one character. Policy variables are refused. */
export function iamGlob(text: string): Glob {
  if (text.includes('${')) throw new Error(`IAM pattern "${text}": policy variables are not evaluated`);
  return { text, pieces: [...text].map((c) => (c === '*' ? ANY : c === '?' ? ONE : c)) };
}

/**
 * A GitHub Actions branch or tag filter after a literal `prefix` (`refs/heads/`): `*` matches a run without `/`,
 * `**` any run. The other filter characters (`?`, `+`, `[]`, a leading `!`) are refused rather than guessed.
 */
export function filterGlob(prefix: string, filter: string): Glob {
  if (/[?+[\]\\]/.test(filter) || filter.startsWith('!')) throw new Error(`branch or tag filter "${filter}": only * and ** are evaluated`);
  const pieces: Piece[] = [...prefix];
  for (let i = 0; i < filter.length; i++) {
    if (filter.startsWith('**', i)) {
      pieces.push(ANY);
      i++;
    } else pieces.push(filter[i] === '*' ? SEGMENT : filter[i]);
  }
  return { text: prefix + filter, pieces };
}

/**
 * Whether every string `inner` matches, `outer` matches too. Sound: true only when the inclusion holds (a
 * wildcard of `inner` is absorbed only by a wildcard of `outer` at least as wide).
 */
export function covers(outer: Glob, inner: Glob): boolean {
  const o = outer.pieces;
  const n = inner.pieces;
  const memo = new Map<number, boolean>();
  const fits = (i: number, j: number): boolean => {
    const key = i * (n.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === o.length) result = j === n.length;
    else if (o[i] === ANY) result = fits(i + 1, j) || (j < n.length && fits(i, j + 1));
    else if (o[i] === SEGMENT) result = fits(i + 1, j) || (j < n.length && (n[j] === SEGMENT || (n[j].length === 1 && n[j] !== '/')) && fits(i, j + 1));
    else if (j === n.length) result = false;
    else if (o[i] === ONE) result = (n[j] === ONE || n[j].length === 1) && fits(i + 1, j + 1);
    else result = n[j] === o[i] && fits(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return fits(0, 0);
}

/** The claims of the OIDC tokens one job can hold, as patterns (a branch filter stays a pattern). */
export interface OidcTokens {
  /** Where they come from, for messages: `job deploy, push to refs/heads/deployment-aws-production`. */
  readonly from: string;
  readonly repository: string;
  /** `repo:<owner>/<name>:ref:<ref>`, `…:environment:<name>` or `…:pull_request`. */
  readonly sub: Glob;
  /** The git ref the run is for; present with an environment too. */
  readonly ref: Glob;
}

/** One thing an identity trusts, and whether some token the workflow needs accounts for all of it. */
export interface Grant {
  readonly text: string;
  neededBy(tokens: OidcTokens): boolean;
}

/** What an identity lets in. */
export interface DeployTrust {
  /** For messages: `the IAM role's trust policy`. */
  readonly name: string;
  /** Whether every token `tokens` stands for is accepted. */
  allows(tokens: OidcTokens): boolean;
  readonly grants: readonly Grant[];
}

/** GITHUB_OIDC_HOST of aws/github-deploy-role.ts, not imported from there: that module loads the AWS provider. */
const GITHUB_TOKEN_ISSUER = 'token.actions.githubusercontent.com';

/**
 * The trust of an IAM role's assume-role policy for GitHub's tokens: `Allow` statements for
 * `sts:AssumeRoleWithWebIdentity` with `StringEquals`/`StringLike` on `<issuer>:sub` and `<issuer>:aud`. The
 * audience is what aws-actions/configure-aws-credentials asks for, `sts.amazonaws.com`. Any other statement
 * effect, operator or key is refused, not guessed.
 */
export function iamRoleTrust(policyJson: string, audience = 'sts.amazonaws.com'): DeployTrust {
  type Test = { key: 'sub' | 'aud'; globs: Glob[] };
  const statements: { Effect: string; Action: string | string[]; Condition?: Record<string, Record<string, string | string[]>> }[] = JSON.parse(policyJson).Statement;
  const webIdentity = statements.filter((s) => [s.Action].flat().includes('sts:AssumeRoleWithWebIdentity'));
  const rules: Test[][] = webIdentity.map((s) => {
    if (s.Effect !== 'Allow') throw new Error(`trust policy: an ${s.Effect} statement is not evaluated`);
    return Object.entries(s.Condition ?? {}).flatMap(([operator, byKey]) => {
      if (operator !== 'StringEquals' && operator !== 'StringLike') throw new Error(`trust policy: condition operator ${operator} is not evaluated`);
      return Object.entries(byKey).map(([key, values]): Test => {
        const claim = key.startsWith(`${GITHUB_TOKEN_ISSUER}:`) ? key.slice(GITHUB_TOKEN_ISSUER.length + 1) : '';
        if (claim !== 'sub' && claim !== 'aud') throw new Error(`trust policy: condition key ${key} is not evaluated`);
        return { key: claim, globs: [values].flat().map(operator === 'StringLike' ? iamGlob : literal) };
      });
    });
  });
  const anySubject: Glob = { text: 'any subject', pieces: [ANY] };
  const subjectsOf = (rule: Test[]): Glob[] => {
    const tests = rule.filter((t) => t.key === 'sub');
    if (tests.length > 1) throw new Error('trust policy: a statement with two subject conditions is not evaluated');
    return tests[0]?.globs ?? [anySubject];
  };
  const accepts = (rule: Test[], tokens: OidcTokens) =>
    rule.every((t) => t.globs.some((g) => covers(g, t.key === 'sub' ? tokens.sub : literal(audience))));
  return {
    name: "the IAM role's trust policy",
    allows: (tokens) => rules.some((rule) => accepts(rule, tokens)),
    // A statement without a subject condition trusts every subject.
    grants: rules.flatMap(subjectsOf).map((glob) => ({ text: glob.text, neededBy: (tokens: OidcTokens) => covers(tokens.sub, glob) })),
  };
}

/**
 * The trust of a workload identity provider's attribute condition, in the one form `GithubDeployIdentity`
 * writes: `assertion.repository == '<repo>' && (<ref test> || …)`, each ref test `assertion.ref == '<ref>'` or
 * `assertion.ref.startsWith('<prefix>')`. Anything else is refused, not guessed.
 */
export function attributeConditionTrust(condition: string): DeployTrust {
  const whole = /^assertion\.repository == '([^']+)' && \((.+)\)$/.exec(condition);
  if (!whole) throw new Error(`attribute condition not in GithubDeployIdentity's form: ${condition}`);
  const repository = whole[1];
  const refs = whole[2].split(' || ').map((test) => {
    const exact = /^assertion\.ref == '([^']+)'$/.exec(test);
    const prefix = /^assertion\.ref\.startsWith\('([^']+)'\)$/.exec(test);
    if (exact) return literal(exact[1]);
    if (prefix) return prefixGlob(prefix[1]);
    throw new Error(`attribute condition: ref test not in GithubDeployIdentity's form: ${test}`);
  });
  return {
    name: "the workload identity provider's attribute condition",
    allows: (tokens) => tokens.repository === repository && refs.some((ref) => covers(ref, tokens.ref)),
    grants: refs.map((ref) => ({
      text: `${repository} at ${ref.text}`,
      neededBy: (tokens: OidcTokens) => tokens.repository === repository && covers(tokens.ref, ref),
    })),
  };
}
