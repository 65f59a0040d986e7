import { missingSecretsReason } from '../../src/missing-secrets.js'

const repo = { full_name: 'owner/project' }
const pullRequest = (head: Record<string, unknown>): Record<string, unknown> => ({
  repository: repo,
  pull_request: { head: { repo: head } }
})
const fork = pullRequest({ full_name: 'someone/project', fork: true })

test('Dependabot runs: only Dependabot secrets, whatever the event', () => {
  for (const event of ['push', 'pull_request', 'pull_request_target']) {
    expect(missingSecretsReason({ GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: event }, fork)).toMatch(
      /^This run was started by Dependabot, .*Settings > Secrets and variables > Dependabot/
    )
  }
})

test.each(['pull_request', 'pull_request_review', 'pull_request_review_comment'])('%s from a fork: no secrets at all', event => {
  expect(missingSecretsReason({ GITHUB_ACTOR: 'someone', GITHUB_EVENT_NAME: event }, fork)).toMatch(
    /^This run is a pull request from a fork, .*head\.repo\.full_name == github\.repository/
  )
})

test('a head repository with another name counts as a fork even without the fork flag', () => {
  const renamed = pullRequest({ full_name: 'someone/other' })
  expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'pull_request' }, renamed)).toMatch(/from a fork/)
})

test('a head repository flagged as a fork counts even with the same name', () => {
  expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'pull_request' }, pullRequest({ ...repo, fork: true }))).toMatch(/from a fork/)
})

test('no reason for a pull request from the same repository', () => {
  expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'pull_request' }, pullRequest({ ...repo, fork: false }))).toBeUndefined()
})

test('no reason for pull_request_target, which runs with the base repository secrets', () => {
  expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'pull_request_target' }, fork)).toBeUndefined()
})

test('no reason for other events, or outside a runner (no event name, empty payload)', () => {
  expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'push' }, fork)).toBeUndefined()
  expect(missingSecretsReason({}, fork)).toBeUndefined()
  expect(missingSecretsReason({}, {})).toBeUndefined()
})

test('a payload without a usable head repository is not taken for a fork', () => {
  for (const event of [{}, { pull_request: null }, { pull_request: { head: {} } }, { pull_request: { head: { repo: null } } }]) {
    expect(missingSecretsReason({ GITHUB_EVENT_NAME: 'pull_request' }, event)).toBeUndefined()
  }
})
