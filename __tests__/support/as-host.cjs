/**
 * Preload (node --require) for a process started with `unshare --uts`: gives its UTS namespace
 * the host name UPM_AUTH_TEST_HOSTNAME, so the action in it has another host identity than this
 * host while sharing its files (a second machine on a shared home, as far as the action can tell
 * apart). Not `sh -c 'hostname …'`: a shell drops the runner's INPUT_REGISTRY-URL-style variables.
 */
'use strict'
const { execFileSync } = require('node:child_process')

execFileSync('hostname', [process.env.UPM_AUTH_TEST_HOSTNAME])
