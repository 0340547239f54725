import { describe, expect, it } from "@effect/vitest"
import { Chunk, Data, Effect, FastCheck as fc, Option, Ref, Stream } from "effect"
import { nextOffset, pageThrough, type PagingResultSet } from "../src/internal/paging.js"

/** A page as a paged UltraCart list answers it: its items and, when sent, `metadata.result_set`. */
interface Page {
  readonly items?: ReadonlyArray<number> | undefined
  readonly metadata?: { readonly result_set?: PagingResultSet | undefined } | undefined
}

class PageFailed extends Data.TaggedError("PageFailed")<{ readonly offset: number }> {}

/**
 * A pager over `answer` (the page for an offset), recording each offset it asked for. `fail` makes the
 * page at that offset fail.
 */
const pager = (answer: (offset: number) => Page, options: { readonly pageSize: number; readonly fail?: number }) =>
  Effect.map(Ref.make<ReadonlyArray<number>>([]), (asked) => ({
    asked: Ref.get(asked),
    stream: pageThrough({
      fetchPage: (offset: number) =>
        Effect.zipRight(
          Ref.update(asked, (offsets) => [...offsets, offset]),
          offset === options.fail ? Effect.fail(new PageFailed({ offset })) : Effect.succeed(answer(offset))
        ),
      items: (page: Page) => page.items ?? [],
      resultSet: (page: Page) => page.metadata?.result_set,
      pageSize: options.pageSize
    })
  }))

const collect = <A, E>(stream: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const range = (from: number, count: number): ReadonlyArray<number> => Array.from({ length: count }, (_, i) => from + i)

/** A server that never sends `more`: it slices `total` items at the offset asked for. */
const withoutMore = (total: number, pageSize: number) => (offset: number): Page => ({
  items: range(offset, Math.max(0, Math.min(pageSize, total - offset))),
  metadata: { result_set: { next_offset: offset + pageSize } }
})

/** A page of `items` with this result set. */
const page = (items: ReadonlyArray<number>, resultSet?: PagingResultSet): Page =>
  resultSet === undefined ? { items } : { items, metadata: { result_set: resultSet } }

/** Answers from a list of pages by call order, whatever the offset (to script a misbehaving server). */
const scripted = (pages: ReadonlyArray<Page>) => {
  let call = 0
  return (_offset: number): Page => pages[call++] ?? page([])
}

describe("pageThrough follows more and next_offset when the server sends them", () => {
  it.effect("more: true goes on at next_offset, more: false stops", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(
        scripted([
          page(range(0, 2), { more: true, next_offset: 2 }),
          page(range(2, 2), { more: true, next_offset: 4 }),
          page(range(4, 2), { more: false, next_offset: 6 })
        ]),
        { pageSize: 2 }
      )
      expect(yield* collect(stream)).toEqual(range(0, 6))
      expect(yield* asked).toEqual([0, 2, 4])
    }))

  it.effect("more: false on a full page stops: the server said so", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(scripted([page(range(0, 3), { more: false })]), { pageSize: 3 })
      expect(yield* collect(stream)).toEqual(range(0, 3))
      expect(yield* asked).toEqual([0])
    }))

  it.effect("more: true on a short page goes on: the server said so", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(
        scripted([page(range(0, 1), { more: true, next_offset: 1 }), page(range(1, 1), { more: false })]),
        { pageSize: 3 }
      )
      expect(yield* collect(stream)).toEqual([0, 1])
      expect(yield* asked).toEqual([0, 1])
    }))

  it.effect("an empty page stops even when more says true", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(
        scripted([page(range(0, 2), { more: true, next_offset: 2 }), page([], { more: true, next_offset: 2 })]),
        { pageSize: 2 }
      )
      expect(yield* collect(stream)).toEqual([0, 1])
      expect(yield* asked).toEqual([0, 2])
    }))
})

describe("pageThrough without a more flag", () => {
  it.effect("goes on while pages are full and stops on the first short page, every item in order", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(withoutMore(7, 3), { pageSize: 3 })
      expect(yield* collect(stream)).toEqual(range(0, 7))
      expect(yield* asked).toEqual([0, 3, 6])
    }))

  it.effect("when the last page is full, the next (empty) page ends it", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(withoutMore(6, 3), { pageSize: 3 })
      expect(yield* collect(stream)).toEqual(range(0, 6))
      expect(yield* asked).toEqual([0, 3, 6])
    }))

  it.effect("with no result set at all, a full page goes on at offset + items", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(
        scripted([page(range(0, 2)), page(range(2, 2)), page(range(4, 1))]),
        { pageSize: 2 }
      )
      expect(yield* collect(stream)).toEqual(range(0, 5))
      expect(yield* asked).toEqual([0, 2, 4])
    }))

  it.effect("an empty first page is an empty stream", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(scripted([page([])]), { pageSize: 2 })
      expect(yield* collect(stream)).toEqual([])
      expect(yield* asked).toEqual([0])
    }))

  it.effect.prop(
    "gets every item exactly once, in order, with one request per page plus one when the last page is full",
    [fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 })],
    ([total, pageSize]) =>
      Effect.gen(function*() {
        const { asked, stream } = yield* pager(withoutMore(total, pageSize), { pageSize })
        expect(yield* collect(stream)).toEqual(range(0, total))
        expect((yield* asked).length).toBe(Math.floor(total / pageSize) + 1)
      })
  )
})

describe("pageThrough never loops on an offset that does not advance", () => {
  for (const next_offset of [0, 1, -5, 2.5, Number.NaN]) {
    it.effect(`next_offset ${next_offset} after offset 2: the next page starts at offset + items`, () =>
      Effect.gen(function*() {
        const { asked, stream } = yield* pager(
          scripted([
            page(range(0, 2), { more: true, next_offset: 2 }),
            page(range(2, 2), { more: true, next_offset }),
            page(range(4, 1), { more: false })
          ]),
          { pageSize: 2 }
        )
        expect(yield* collect(stream)).toEqual(range(0, 5))
        expect(yield* asked).toEqual([0, 2, 4])
      }))
  }

  it("nextOffset is always past the current offset, or None", () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.nat(300),
        fc.integer({ min: 1, max: 200 }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.oneof(fc.integer({ min: -10, max: 2_000 }), fc.double()), { nil: undefined }),
        (offset, count, pageSize, more, next_offset) => {
          const next = nextOffset(offset, count, pageSize, { more, next_offset })
          if (Option.isSome(next)) expect(next.value).toBeGreaterThan(offset)
          if (count === 0 || more === false) expect(Option.isNone(next)).toBe(true)
        }
      )
    )
  })
})

describe("pageThrough is lazy and fails with its page", () => {
  it.effect("taking 3 items of pages of 2 fetches two pages, not all of them", () =>
    Effect.gen(function*() {
      const { asked, stream } = yield* pager(withoutMore(1_000, 2), { pageSize: 2 })
      expect(yield* collect(Stream.take(stream, 3))).toEqual([0, 1, 2])
      expect(yield* asked).toEqual([0, 2])
    }))

  it.effect("building the stream fetches nothing", () =>
    Effect.gen(function*() {
      const { asked } = yield* pager(withoutMore(10, 2), { pageSize: 2 })
      expect(yield* asked).toEqual([])
    }))

  it.effect("a failing page fails the stream after the items before it", () =>
    Effect.gen(function*() {
      const { stream } = yield* pager(withoutMore(10, 2), { pageSize: 2, fail: 4 })
      const seen = yield* Ref.make<ReadonlyArray<number>>([])
      const error = yield* Effect.flip(Stream.runForEach(stream, (item) => Ref.update(seen, (items) => [...items, item])))
      expect(error).toEqual(new PageFailed({ offset: 4 }))
      expect(yield* Ref.get(seen)).toEqual(range(0, 4))
    }))

  it.effect("startOffset begins there", () =>
    Effect.gen(function*() {
      const asked = yield* Ref.make<ReadonlyArray<number>>([])
      const answer = withoutMore(5, 2)
      const items = yield* collect(pageThrough({
        fetchPage: (offset: number) => Effect.as(Ref.update(asked, (offsets) => [...offsets, offset]), answer(offset)),
        items: (p: Page) => p.items ?? [],
        resultSet: (p: Page) => p.metadata?.result_set,
        pageSize: 2,
        startOffset: 2
      }))
      expect(items).toEqual([2, 3, 4])
      expect(yield* Ref.get(asked)).toEqual([2, 4])
    }))
})
