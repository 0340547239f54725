/**
 * A lazy pager over UltraCart's offset paging (`_limit` / `_offset`, `metadata.result_set`), shared by
 * every paged operation: one request per page, one page in memory at a time.
 */
import { Chunk, Effect, Option, Stream } from "effect"

/** The part of UltraCart's `result_set` the pager reads. */
export interface PagingResultSet {
  readonly more?: boolean | undefined
  readonly next_offset?: number | undefined
}

/** How to fetch the pages of one list and read them. */
export interface PageThroughOptions<Page, Item, E> {
  /** One page starting at `offset` (each call gets the operation's own retries). */
  readonly fetchPage: (offset: number) => Effect.Effect<Page, E>
  /** The page's items (an absent list is an empty page). */
  readonly items: (page: Page) => ReadonlyArray<Item>
  /** The page's `metadata.result_set`, if any. */
  readonly resultSet: (page: Page) => PagingResultSet | undefined
  /** The page size asked for: a page this full, without a `more` flag, may have a successor. */
  readonly pageSize: number
  /** The offset of the first page (default 0). */
  readonly startOffset?: number | undefined
}

/**
 * Where the next page starts, or `None` after the last page. An empty page is always the last.
 * `more` decides when the server sent it; without it, a full page goes on and a short page is the last.
 * The next offset is `next_offset` when it moves forward, else the items seen so far, so the pager never
 * asks twice for the same offset.
 */
export const nextOffset = (
  offset: number,
  count: number,
  pageSize: number,
  resultSet: PagingResultSet | undefined
): Option.Option<number> => {
  if (count === 0) return Option.none()
  const more = resultSet?.more
  if (more === false || (more === undefined && count < pageSize)) return Option.none()
  const next = resultSet?.next_offset
  return Option.some(next !== undefined && Number.isSafeInteger(next) && next > offset ? next : offset + count)
}

/**
 * Every item of a paged list, fetched lazily page by page: a consumer that takes 10 items of pages of
 * 100 sends one request.
 *
 * @example
 * pageThrough({
 *   fetchPage: (offset) => service.getConversations({ limit: 100, offset }),
 *   items: (page) => page.conversations ?? [],
 *   resultSet: (page) => page.metadata?.result_set,
 *   pageSize: 100
 * })
 */
export const pageThrough = <Page, Item, E>(options: PageThroughOptions<Page, Item, E>): Stream.Stream<Item, E> =>
  Stream.paginateChunkEffect(options.startOffset ?? 0, (offset) =>
    Effect.map(options.fetchPage(offset), (page) => {
      const items = options.items(page)
      return [
        Chunk.unsafeFromArray(items),
        nextOffset(offset, items.length, options.pageSize, options.resultSet(page))
      ] as const
    }))
