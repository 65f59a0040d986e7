import { resolveConfigTarget } from '../../src/config-path.js'

const linuxEnv = { HOME: '/home/runner', RUNNER_TEMP: '/home/runner/work/_temp' }
const windowsEnv = {
  USERPROFILE: 'C:\\Users\\runneradmin',
  ALLUSERSPROFILE: 'C:\\ProgramData',
  RUNNER_TEMP: 'D:\\a\\_temp'
}

describe('which file Unity reads', () => {
  test.each([
    ['Linux home', '', 'home', linuxEnv, 'linux', '/home/runner/.upmconfig.toml', false],
    ['macOS home', '', 'home', { HOME: '/Users/runner' }, 'darwin', '/Users/runner/.upmconfig.toml', false],
    ['Windows home', '', 'home', windowsEnv, 'win32', 'C:\\Users\\runneradmin\\.upmconfig.toml', false],
    [
      'UPM_USER_CONFIG_FILE wins for home',
      '',
      'home',
      { ...linuxEnv, UPM_USER_CONFIG_FILE: '/opt/unity/upm.toml' },
      'linux',
      '/opt/unity/upm.toml',
      false
    ],
    [
      'Windows service account',
      '',
      'service-account',
      windowsEnv,
      'win32',
      'C:\\ProgramData\\Unity\\config\\ServiceAccounts\\.upmconfig.toml',
      false
    ],
    ['job, Linux', '', 'job', linuxEnv, 'linux', '/home/runner/work/_temp/upm-auth/.upmconfig.toml', true],
    ['job, Windows', '', 'job', windowsEnv, 'win32', 'D:\\a\\_temp\\upm-auth\\.upmconfig.toml', true],
    [
      'config-file absolute wins over location',
      '/github/home/.upmconfig.toml',
      'job',
      linuxEnv,
      'linux',
      '/github/home/.upmconfig.toml',
      false
    ],
    [
      'config-file relative to the workspace',
      '_github_home/.upmconfig.toml',
      'home',
      linuxEnv,
      'linux',
      '/ws/_github_home/.upmconfig.toml',
      false
    ],
    ['config-file with ~', '~/.upmconfig.toml', 'home', linuxEnv, 'linux', '/home/runner/.upmconfig.toml', false],
    [
      'config-file with ~ on Windows',
      '~\\cfg\\.upmconfig.toml',
      'home',
      windowsEnv,
      'win32',
      'C:\\Users\\runneradmin\\cfg\\.upmconfig.toml',
      false
    ],
    ['config-file Windows relative', 'cfg\\.upmconfig.toml', 'home', windowsEnv, 'win32', 'D:\\ws\\cfg\\.upmconfig.toml', false],
    // game-ci mounts $RUNNER_TEMP/_github_home as the container's home (docs/game-ci.md).
    [
      'game-ci, Linux: the folder mounted at /root',
      '',
      'game-ci',
      linuxEnv,
      'linux',
      '/home/runner/work/_temp/_github_home/.upmconfig.toml',
      false
    ],
    [
      'game-ci, Windows: the folder mounted at C:/githubhome',
      '',
      'game-ci',
      windowsEnv,
      'win32',
      'D:\\a\\_temp\\_github_home\\.upmconfig.toml',
      false
    ],
    [
      'game-ci, macOS: Unity runs on the runner, so its home',
      '',
      'game-ci',
      { HOME: '/Users/runner', RUNNER_TEMP: '/Users/runner/work/_temp' },
      'darwin',
      '/Users/runner/.upmconfig.toml',
      false
    ],
    [
      'game-ci, macOS: UPM_USER_CONFIG_FILE reaches Unity there',
      '',
      'game-ci',
      { HOME: '/Users/runner', RUNNER_TEMP: '/t', UPM_USER_CONFIG_FILE: '/opt/unity/upm.toml' },
      'darwin',
      '/opt/unity/upm.toml',
      false
    ],
    [
      'game-ci, Linux: UPM_USER_CONFIG_FILE does not reach the container',
      '',
      'game-ci',
      { ...linuxEnv, UPM_USER_CONFIG_FILE: '/opt/unity/upm.toml' },
      'linux',
      '/home/runner/work/_temp/_github_home/.upmconfig.toml',
      false
    ],
    ['config-file wins over game-ci', '/srv/unity/.upmconfig.toml', 'game-ci', linuxEnv, 'linux', '/srv/unity/.upmconfig.toml', false]
  ] as const)('%s', (_name, configFile, location, env, platform, file, exportAsEnv) => {
    const cwd = platform === 'win32' ? 'D:\\ws' : '/ws'
    expect(resolveConfigTarget(configFile, location, env, platform, cwd)).toEqual({ file, exportAsEnv })
  })
})

describe('errors name the input and what to do', () => {
  test.each([
    [
      'unknown location',
      '',
      'shared',
      linuxEnv,
      'linux',
      /Input `location` must be one of home, service-account, job, game-ci, not "shared"/
    ],
    [
      'service-account off Windows',
      '',
      'service-account',
      linuxEnv,
      'linux',
      /`location: service-account` is for Windows runners.*use `location: home`/
    ],
    ['service-account without ALLUSERSPROFILE', '', 'service-account', { USERPROFILE: 'C:\\u' }, 'win32', /needs ALLUSERSPROFILE/],
    ['job without RUNNER_TEMP', '', 'job', { HOME: '/h' }, 'linux', /`location: job` needs RUNNER_TEMP/],
    ['home without HOME', '', 'home', {}, 'linux', /HOME is not set. Set `config-file`/],
    ['home without USERPROFILE', '', 'home', { HOME: '/h' }, 'win32', /USERPROFILE is not set/],
    [
      'relative UPM_USER_CONFIG_FILE',
      '',
      'home',
      { ...linuxEnv, UPM_USER_CONFIG_FILE: 'upm.toml' },
      'linux',
      /UPM_USER_CONFIG_FILE is set to a relative path/
    ],
    ['config-file names a folder', '/github/home/', 'home', linuxEnv, 'linux', /Input `config-file` \(\/github\/home\/\) names a folder/],
    ['config-file ~ without HOME', '~/x.toml', 'home', {}, 'linux', /starts with ~ but HOME is not set/],
    [
      'config-file with a line break, shown escaped',
      '/h/.upmconfig.toml\n::warning::x',
      'home',
      linuxEnv,
      'linux',
      /^Input `config-file` contains a line break or a control character \(\/h\/\.upmconfig\.toml\\n::warning::x\)\./
    ],
    [
      'UPM_USER_CONFIG_FILE with a control character',
      '',
      'home',
      { ...linuxEnv, UPM_USER_CONFIG_FILE: '/opt/upm\u0007.toml' },
      'linux',
      /^UPM_USER_CONFIG_FILE contains a line break or a control character \(\/opt\/upm\\x07\.toml\)\. Fix the variable/
    ],
    ['game-ci without RUNNER_TEMP', '', 'game-ci', { HOME: '/h' }, 'linux', /`location: game-ci` needs RUNNER_TEMP.*Set `config-file`/],
    ['game-ci on Windows without RUNNER_TEMP', '', 'game-ci', { USERPROFILE: 'C:\\u' }, 'win32', /`location: game-ci` needs RUNNER_TEMP/],
    [
      'game-ci on another OS',
      '',
      'game-ci',
      linuxEnv,
      'freebsd',
      /`location: game-ci` knows where game-ci runs Unity on Linux, Windows and macOS runners, not on freebsd/
    ]
  ] as const)('%s', (_name, configFile, location, env, platform, message) => {
    expect(() => resolveConfigTarget(configFile, location, env, platform, '/ws')).toThrow(message)
  })
})
