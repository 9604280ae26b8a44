// The fields GitHub's REST description (@octokit/openapi) requires of the
// emulator's answers beyond those the action reads (issue 20): the URL
// templates of a user and a repository, a pull request's links and counts,
// and a signed-in user's profile. Values are shaped like github.com's, built
// from the record's login, name and number; nothing here is read back.
import type { GitHubUser, PullRecord, RepoRecord } from './state.ts'

const SINCE = '2020-01-01T00:00:00Z'

/** The simple-user fields besides login, id, node_id, type, html_url. */
export function userFields(
  apiUrl: string,
  user: GitHubUser
): Record<string, unknown> {
  const url = `${apiUrl}/users/${encodeURIComponent(user.login)}`
  return {
    url,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`
  }
}

/** What GET /user adds for the signed-in user (the private-user schema). */
export function signedInUserFields(user: GitHubUser): Record<string, unknown> {
  return {
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: SINCE,
    updated_at: SINCE,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: user.type === 'User'
  }
}

/** The repository schema's required fields, for a pull request's head and base. */
export function repoFields(
  apiUrl: string,
  repo: RepoRecord,
  owner: Record<string, unknown>
): Record<string, unknown> {
  const fullName = `${repo.owner}/${repo.name}`
  const url = `${apiUrl}/repos/${fullName}`
  const templates: Record<string, string> = {}
  for (const [name, tail] of Object.entries(REPO_URLS)) {
    templates[name] = `${url}/${tail}`
  }
  return {
    node_id: `R_kgDO${Buffer.from(String(repo.id)).toString('base64url')}`,
    owner,
    private: false,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url,
    ...templates,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    svn_url: `https://github.com/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    size: 0,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    default_branch: 'main',
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: SINCE,
    created_at: SINCE,
    updated_at: SINCE
  }
}

const REPO_URLS: Record<string, string> = {
  archive_url: '{archive_format}{/ref}',
  assignees_url: 'assignees{/user}',
  blobs_url: 'git/blobs{/sha}',
  branches_url: 'branches{/branch}',
  collaborators_url: 'collaborators{/collaborator}',
  comments_url: 'comments{/number}',
  commits_url: 'commits{/sha}',
  compare_url: 'compare/{base}...{head}',
  contents_url: 'contents/{+path}',
  contributors_url: 'contributors',
  deployments_url: 'deployments',
  downloads_url: 'downloads',
  events_url: 'events',
  forks_url: 'forks',
  git_commits_url: 'git/commits{/sha}',
  git_refs_url: 'git/refs{/sha}',
  git_tags_url: 'git/tags{/sha}',
  hooks_url: 'hooks',
  issue_comment_url: 'issues/comments{/number}',
  issue_events_url: 'issues/events{/number}',
  issues_url: 'issues{/number}',
  keys_url: 'keys{/key_id}',
  labels_url: 'labels{/name}',
  languages_url: 'languages',
  merges_url: 'merges',
  milestones_url: 'milestones{/number}',
  notifications_url: 'notifications{?since,all,participating}',
  pulls_url: 'pulls{/number}',
  releases_url: 'releases{/id}',
  stargazers_url: 'stargazers',
  statuses_url: 'statuses/{sha}',
  subscribers_url: 'subscribers',
  subscription_url: 'subscription',
  tags_url: 'tags',
  teams_url: 'teams',
  trees_url: 'git/trees{/sha}'
}

/** The pull-request-simple fields besides those the action reads. */
export function pullFields(
  apiUrl: string,
  repo: RepoRecord,
  pull: PullRecord
): Record<string, unknown> {
  const repoUrl = `${apiUrl}/repos/${repo.owner}/${repo.name}`
  const url = `${repoUrl}/pulls/${pull.number}`
  const issueUrl = `${repoUrl}/issues/${pull.number}`
  const html = `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}`
  const statuses = `${repoUrl}/statuses/${pull.headSha}`
  return {
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statuses,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    labels: [],
    milestone: null,
    merge_commit_sha: pull.mergedAt === null ? null : pull.headSha,
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repoUrl}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statuses }
    }
  }
}

/** What only the single pull request carries (the pull-request schema). */
export function singlePullFields(pull: PullRecord): Record<string, unknown> {
  return {
    mergeable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    maintainer_can_modify: false,
    comments: 0,
    review_comments: 0,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0
  }
}
