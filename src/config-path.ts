/**
 * Pure logic: which user config file Unity will read, for this runner's OS and account.
 */
import path from 'node:path'
import { refusePathWithControlCharacters } from './log-safe.js'

export type Location = 'home' | 'service-account' | 'job' | 'game-ci'
export const LOCATIONS: readonly Location[] = ['home', 'service-account', 'job', 'game-ci']

export interface ConfigTarget {
  /** Absolute path of the `.upmconfig.toml` to write. */
  file: string
  /** Set when later steps must be told where the file is, through `UPM_USER_CONFIG_FILE`. */
  exportAsEnv: boolean
}

export const CONFIG_FILE_NAME = '.upmconfig.toml'

/**
 * Decides the config file.
 *
 * - `configFile` wins when set (relative paths resolve against `cwd`; `~` means the home folder);
 * - `home`: `UPM_USER_CONFIG_FILE` when set (Unity 2023.1+ reads it), else the account's home;
 * - `service-account`: the file Unity reads when it runs as a Windows service / SYSTEM;
 * - `job`: a file under `RUNNER_TEMP`, handed to Unity through `UPM_USER_CONFIG_FILE`;
 * - `game-ci`: the file Unity reads when game-ci's actions run it (see {@link gameCiTarget}).
 */
export function resolveConfigTarget(
  configFile: string,
  location: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  cwd: string
): ConfigTarget {
  const p = platform === 'win32' ? path.win32 : path.posix
  const home = platform === 'win32' ? env.USERPROFILE : env.HOME

  if (configFile) {
    refusePathWithControlCharacters(configFile, 'Input `config-file`', 'Give the path of the .upmconfig.toml to write without it.')
    let file = configFile
    if (file === '~' || /^~[\\/]/.test(file)) {
      if (!home) throw new Error(`Input \`config-file\` starts with ~ but ${homeVariable(platform)} is not set. Give an absolute path.`)
      file = p.join(home, file.slice(1))
    }
    file = p.resolve(cwd, file)
    if (/[\\/]$/.test(configFile)) {
      throw new Error(
        `Input \`config-file\` (${configFile}) names a folder. Give the path of the file, for example ${p.join(file, CONFIG_FILE_NAME)}.`
      )
    }
    return { file, exportAsEnv: false }
  }

  switch (location) {
    case 'game-ci':
      return platform === 'darwin' ? homeTarget(env, platform) : gameCiTarget(env, platform)
    case 'home':
      return homeTarget(env, platform)
    case 'service-account': {
      if (platform !== 'win32') {
        throw new Error(
          'Input `location: service-account` is for Windows runners, where Unity running as a service or SYSTEM reads ' +
            '%ALLUSERSPROFILE%\\Unity\\config\\ServiceAccounts\\.upmconfig.toml. On this runner use `location: home`, or set `config-file`.'
        )
      }
      const allUsers = env.ALLUSERSPROFILE
      if (!allUsers)
        throw new Error('Input `location: service-account` needs ALLUSERSPROFILE, which is not set. Set `config-file` instead.')
      return { file: p.join(allUsers, 'Unity', 'config', 'ServiceAccounts', CONFIG_FILE_NAME), exportAsEnv: false }
    }
    case 'job': {
      const temp = env.RUNNER_TEMP
      if (!temp) {
        throw new Error(
          'Input `location: job` needs RUNNER_TEMP, which the runner sets for every job; it is not set here. Set `config-file` instead.'
        )
      }
      return { file: p.join(temp, 'upm-auth', CONFIG_FILE_NAME), exportAsEnv: true }
    }
    default:
      throw new Error(`Input \`location\` must be one of ${LOCATIONS.join(', ')}, not "${location}".`)
  }
}

/** `location: home`: UPM_USER_CONFIG_FILE when set (Unity 2023.1+ reads it), else the account's home. */
function homeTarget(env: Record<string, string | undefined>, platform: NodeJS.Platform): ConfigTarget {
  const p = platform === 'win32' ? path.win32 : path.posix
  const fromEnv = env.UPM_USER_CONFIG_FILE
  if (fromEnv) {
    refusePathWithControlCharacters(fromEnv, 'UPM_USER_CONFIG_FILE', 'Fix the variable, or set `config-file`.')
    if (!p.isAbsolute(fromEnv)) {
      throw new Error(
        `UPM_USER_CONFIG_FILE is set to a relative path (${fromEnv}); Unity needs an absolute path. Fix the variable, or set \`config-file\`.`
      )
    }
    return { file: p.normalize(fromEnv), exportAsEnv: false }
  }
  const home = platform === 'win32' ? env.USERPROFILE : env.HOME
  if (!home) {
    throw new Error(
      `Cannot find the home folder: ${homeVariable(platform)} is not set. Set \`config-file\` to the .upmconfig.toml Unity reads.`
    )
  }
  return { file: p.join(home, CONFIG_FILE_NAME), exportAsEnv: false }
}

/**
 * Where game-ci's actions have Unity find its home on Linux and Windows (unity-builder v4,
 * unity-test-runner v4.3.1; docs/game-ci.md): both run Unity in a container and mount
 * `$RUNNER_TEMP/_github_home` there: at `/root` on Linux, where Unity runs as root, and, for
 * unity-builder from v4.6.0, at `C:/githubhome` on Windows, whose entrypoint copies
 * `.upmconfig.toml` into the container's profile. The container sees none of the runner's variables (UPM_USER_CONFIG_FILE
 * included), so none is read. On macOS unity-builder runs Unity on the runner itself: the caller
 * takes the `home` file there.
 */
function gameCiTarget(env: Record<string, string | undefined>, platform: NodeJS.Platform): ConfigTarget {
  if (platform !== 'linux' && platform !== 'win32') {
    throw new Error(
      `Input \`location: game-ci\` knows where game-ci runs Unity on Linux, Windows and macOS runners, not on ${platform}. Set \`config-file\` instead.`
    )
  }
  const temp = env.RUNNER_TEMP
  if (!temp) {
    throw new Error(
      "Input `location: game-ci` needs RUNNER_TEMP (game-ci mounts $RUNNER_TEMP/_github_home as the container's home), which the runner sets for every job; it is not set here. Set `config-file` instead."
    )
  }
  const p = platform === 'win32' ? path.win32 : path.posix
  return { file: p.join(temp, '_github_home', CONFIG_FILE_NAME), exportAsEnv: false }
}

function homeVariable(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'USERPROFILE' : 'HOME'
}
