import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../src/constants.ts'

const root = join(import.meta.dirname, '..')
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'))

describe('action.yml', () => {
  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the inputs and outputs the code reads and sets', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      Object.values(Inputs).sort()
    )
    expect(Object.keys(action.outputs).sort()).toEqual(
      Object.values(Outputs).sort()
    )
  })

  it('describes every input and output, in kebab-case', () => {
    for (const [name, spec] of Object.entries({
      ...action.inputs,
      ...action.outputs
    })) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect((spec as { description?: string }).description).toBeTruthy()
    }
  })

  it('gives required inputs no default', () => {
    const requiredWithDefault = Object.entries(
      action.inputs as Record<string, { required?: boolean; default?: string }>
    ).filter(([, spec]) => spec.required && spec.default !== undefined)
    expect(requiredWithDefault).toEqual([])
  })

  it('lists every input and output in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    for (const name of [...Object.values(Inputs), ...Object.values(Outputs)]) {
      expect(readme).toContain(`| \`${name}\``)
    }
  })
})

describe('dist/index.js', () => {
  const bundle = readFileSync(join(root, 'dist/index.js'), 'utf8')

  it('has no module that the bundler could not resolve', () => {
    expect(bundle).not.toMatch(/webpackMissingModule|@@notfound/)
  })

  it('is an ES module, as dist/package.json declares', () => {
    expect(
      JSON.parse(readFileSync(join(root, 'dist/package.json'), 'utf8'))
    ).toEqual({ type: 'module' })
  })
})
