/**
 * The search for a Unity project below the workspace when the default manifest is missing: in
 * real folders, bounded in depth and in the folders it reads.
 */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { findManifests, MANIFEST_SEARCH_DEPTH, MANIFEST_SEARCH_FOLDERS } from '../../src/manifest-check.js'
import { tempDirEach } from '../support/fixtures.js'

const workspace = tempDirEach('manifest-search-')

function project(relative: string): void {
  const dir = path.join(workspace.path, relative, 'Packages')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{}')
}

test('projects up to three folders down, nearest first, in name order', () => {
  project('b-game')
  project('a-game')
  project('src/unity/client')
  project('one/two/three/four')
  expect(MANIFEST_SEARCH_DEPTH).toBe(3)
  expect(findManifests(workspace.path)).toEqual([
    'a-game/Packages/manifest.json',
    'b-game/Packages/manifest.json',
    'src/unity/client/Packages/manifest.json'
  ])
})

test('not inside a project, hidden folders, node_modules or Unity folders; a manifest that is a folder does not count', () => {
  project('game')
  project('game/Assets/Nested')
  project('.git/game')
  project('node_modules/pkg')
  project('Library/PackageCache')
  fs.mkdirSync(path.join(workspace.path, 'odd', 'Packages', 'manifest.json'), { recursive: true })
  expect(findManifests(workspace.path)).toEqual(['game/Packages/manifest.json'])
})

test('links are not followed', () => {
  project('../outside-project')
  fs.symlinkSync(path.join(workspace.path, '..', 'outside-project'), path.join(workspace.path, 'linked'))
  try {
    expect(findManifests(workspace.path)).toEqual([])
  } finally {
    fs.rmSync(path.join(workspace.path, '..', 'outside-project'), { recursive: true, force: true })
  }
})

test('reads at most MANIFEST_SEARCH_FOLDERS folders, so a huge repository costs a bounded time', () => {
  for (let i = 0; i < MANIFEST_SEARCH_FOLDERS + 10; i++) fs.mkdirSync(path.join(workspace.path, `d${String(i).padStart(4, '0')}`))
  project('zz-last')
  const readdir = jest.spyOn(fs, 'readdirSync')
  try {
    expect(findManifests(workspace.path)).toEqual([])
    expect(readdir.mock.calls.length).toBe(MANIFEST_SEARCH_FOLDERS)
  } finally {
    readdir.mockRestore()
  }
})

test('the root manifest is not reported (the caller looks there first)', () => {
  project('.')
  expect(findManifests(workspace.path)).toEqual([])
})
