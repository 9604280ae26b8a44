/**
 * The import graph of src/: which file imports which, its cycles (strongly
 * connected components of more than one file), its layers (the longest path
 * through the graph once each cycle counts as one node), files and lines.
 *
 * Why: a reader follows imports. A cycle sends them back into a file they
 * have left, and every layer is one more file to hold in mind, so
 * __tests__/import-cycles.test.ts fails on a cycle and this prints the
 * figures. Type-only imports count: a reader goes to a type's file too.
 *
 *   node scripts/import-graph.ts [dir]   (dir defaults to src)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** One import of a file inside the same directory tree. */
export interface Edge {
  from: string
  to: string
  /** `import type …`, or every name imported with `type`. */
  typeOnly: boolean
}

export interface ImportGraph {
  /** Paths relative to the directory, sorted. */
  files: string[]
  lines: Map<string, number>
  edges: Edge[]
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.split('\\').join('/'))
    .sort()
}

/** Every relative module specifier a file names, and whether it is a type. */
function specifiers(
  source: ts.SourceFile
): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = []
  const visit = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.importClause
      const named = clause?.namedBindings
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((element) => element.isTypeOnly)))
      found.push({ specifier: node.moduleSpecifier.text, typeOnly })
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.isTypeOnly
      })
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false })
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found.filter(({ specifier }) => specifier.startsWith('.'))
}

/** Reads the imports between the .ts files under `dir`. */
export function readImportGraph(dir: string): ImportGraph {
  const files = sourceFiles(dir)
  const known = new Set(files)
  const lines = new Map<string, number>()
  const edges: Edge[] = []
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    lines.set(file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0))
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest)
    const seen = new Map<string, Edge>()
    for (const { specifier, typeOnly } of specifiers(source)) {
      const to = relative(dir, resolve(dir, dirname(file), specifier))
        .split('\\')
        .join('/')
      if (!known.has(to) || to === file) continue
      const edge = seen.get(to)
      // A file imported once for a value and once for a type is a value edge.
      if (edge) edge.typeOnly &&= typeOnly
      else seen.set(to, { from: file, to, typeOnly })
    }
    edges.push(...seen.values())
  }
  return { files, lines, edges }
}

/** The files each file imports, in file order. */
function importsOf(graph: ImportGraph): Map<string, string[]> {
  const next = new Map<string, string[]>(graph.files.map((file) => [file, []]))
  for (const { from, to } of graph.edges) next.get(from)?.push(to)
  return next
}

/** Tarjan's strongly connected components, each sorted, in file order. */
export function stronglyConnected(graph: ImportGraph): string[][] {
  const next = importsOf(graph)
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const connect = (file: string): number => {
    const own = index.size
    let lowest = own
    index.set(file, own)
    low.set(file, own)
    stack.push(file)
    onStack.add(file)
    for (const to of next.get(file) ?? []) {
      const seen = index.get(to)
      if (seen === undefined) lowest = Math.min(lowest, connect(to))
      else if (onStack.has(to)) lowest = Math.min(lowest, seen)
    }
    low.set(file, lowest)
    if (lowest === own) {
      const component = stack.splice(stack.indexOf(file))
      for (const member of component) onStack.delete(member)
      components.push(component.sort())
    }
    return lowest
  }
  for (const file of graph.files) if (!index.has(file)) connect(file)
  return components.sort((a, b) => a[0].localeCompare(b[0]))
}

/** The components of more than one file: each is an import cycle. */
export function importCycles(graph: ImportGraph): string[][] {
  return stronglyConnected(graph).filter((component) => component.length > 1)
}

/**
 * One cycle's path as a reader would follow it (`a.ts → b.ts → a.ts`), the
 * shortest loop back to the component's first file.
 */
export function cyclePath(graph: ImportGraph, component: string[]): string[] {
  const next = importsOf(graph)
  const members = new Set(component)
  const start = component[0]
  // The path that reached each file, breadth first from `start`.
  const pathTo = new Map<string, string[]>([[start, [start]]])
  const queue = [start]
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const path = pathTo.get(file) ?? [file]
    for (const to of next.get(file) ?? []) {
      if (to === start) return [...path, start]
      if (members.has(to) && !pathTo.has(to)) {
        pathTo.set(to, [...path, to])
        queue.push(to)
      }
    }
  }
  return component
}

/**
 * The longest import path, a cycle counting as one file (the components form
 * a graph without cycles): its length is the number of layers, each a file
 * that needs the one after it.
 */
export function longestPath(graph: ImportGraph): string[][] {
  const components = stronglyConnected(graph)
  const componentOf = new Map<string, number>()
  components.forEach((files, at) => {
    for (const file of files) componentOf.set(file, at)
  })
  const next = components.map(() => new Set<number>())
  for (const { from, to } of graph.edges) {
    const a = componentOf.get(from) ?? -1
    const b = componentOf.get(to) ?? -1
    if (a !== b) next[a].add(b)
  }
  const paths = new Map<number, number[]>()
  const pathFrom = (at: number): number[] => {
    const known = paths.get(at)
    if (known) return known
    let deepest: number[] = []
    for (const to of next[at]) {
      const path = pathFrom(to)
      if (path.length > deepest.length) deepest = path
    }
    const path = [at, ...deepest]
    paths.set(at, path)
    return path
  }
  let longest: number[] = []
  components.forEach((_, at) => {
    const path = pathFrom(at)
    if (path.length > longest.length) longest = path
  })
  return longest.map((at) => components[at])
}

function report(dir: string): void {
  const graph = readImportGraph(dir)
  const lines = [...graph.lines.values()].reduce((sum, n) => sum + n, 0)
  const typeEdges = graph.edges.filter((edge) => edge.typeOnly).length
  console.log(
    `${graph.files.length} files, ${lines} lines, ${graph.edges.length} imports (${typeEdges} type-only)`
  )
  const layers = longestPath(graph)
  console.log(`${layers.length} layers:`)
  console.log(`  ${layers.map((files) => files.join('+')).join(' → ')}`)
  const valueGraph = {
    ...graph,
    edges: graph.edges.filter((edge) => !edge.typeOnly)
  }
  const cycles = importCycles(graph)
  console.log(`${cycles.length} import cycles`)
  for (const component of cycles) {
    const valueCycle = importCycles(valueGraph).some((other) =>
      other.some((file) => component.includes(file))
    )
    console.log(
      `  ${component.join(' ')}${valueCycle ? '' : ' (through type imports only)'}`
    )
    console.log(`    ${cyclePath(graph, component).join(' → ')}`)
  }
}

if (
  basename(process.argv[1] ?? '') === basename(fileURLToPath(import.meta.url))
)
  report(resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'src')))
