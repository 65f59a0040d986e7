/**
 * Pure logic: why the secrets a step was given may be empty in this run, from the run's
 * environment and its event (the parsed webhook payload, as `@actions/github`'s `context`
 * exposes it).
 */
import { isPlainObject } from './plain-object.js'

/**
 * Secrets are empty in pull requests from forks and hold only Dependabot secrets in
 * Dependabot runs.
 *
 * @param env the step's environment: `GITHUB_ACTOR` and `GITHUB_EVENT_NAME`.
 * @param event the event's payload; `{}` outside a runner.
 * @returns the explanation, or undefined when neither applies.
 */
export function missingSecretsReason(
  env: Record<string, string | undefined>,
  event: Readonly<Record<string, unknown>>
): string | undefined {
  if (env.GITHUB_ACTOR === 'dependabot[bot]') {
    return (
      'This run was started by Dependabot, and Dependabot runs receive only Dependabot secrets: add the secret ' +
      'under Settings > Secrets and variables > Dependabot as well.'
    )
  }
  // Outside a runner (npm run local) GITHUB_EVENT_NAME may be unset.
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (eventName.startsWith('pull_request') && eventName !== 'pull_request_target' && fromFork(event)) {
    return (
      'This run is a pull request from a fork, and GitHub passes no secrets to those. Skip this step for forks ' +
      '(if: github.event.pull_request.head.repo.full_name == github.repository), or have a maintainer run the workflow.'
    )
  }
  return undefined
}

/** Whether the event's pull request comes from another repository than the one the workflow runs in. */
function fromFork(event: Readonly<Record<string, unknown>>): boolean {
  const pr = event.pull_request
  const head = isPlainObject(pr) ? pr.head : undefined
  const headRepo = isPlainObject(head) ? head.repo : undefined
  if (!isPlainObject(headRepo)) return false
  const baseRepo = event.repository
  return headRepo.fork === true || headRepo.full_name !== (isPlainObject(baseRepo) ? baseRepo.full_name : undefined)
}
