import { describe, expect, it } from 'vitest';
import { pagesOf } from '@/lib/cloud/aws-pages';

// A fake paginated API: each page names the token of the next, as AWS's NextToken does.
function api(pages: Record<string, { items: string[]; next?: string }>) {
  const asked: (string | undefined)[] = [];
  const send = async (token: string | undefined) => {
    asked.push(token);
    return pages[token ?? 'first']!;
  };
  return { asked, send };
}

async function collect(send: Parameters<typeof pagesOf<{ items: string[]; next?: string }>>[0]) {
  const items: string[] = [];
  for await (const page of pagesOf(send, (p) => p.next)) items.push(...page.items);
  return items;
}

describe('pagesOf', () => {
  it('reads every page in order, passing each NextToken on', async () => {
    const a = api({ first: { items: ['a'], next: 't2' }, t2: { items: ['b', 'c'], next: 't3' }, t3: { items: ['d'] } });
    expect(await collect(a.send)).toEqual(['a', 'b', 'c', 'd']);
    expect(a.asked).toEqual([undefined, 't2', 't3']);
  });

  it('treats an empty token as the last page', async () => {
    const a = api({ first: { items: ['a'], next: '' } });
    expect(await collect(a.send)).toEqual(['a']);
    expect(a.asked).toEqual([undefined]);
  });

  it('ends when a page hands back the token that fetched it', async () => {
    const a = api({ first: { items: ['a'], next: 't2' }, t2: { items: ['b'], next: 't2' } });
    expect(await collect(a.send)).toEqual(['a', 'b']);
    expect(a.asked).toEqual([undefined, 't2']);
  });

  it('asks for no further page once the reader stops', async () => {
    const a = api({ first: { items: ['a'], next: 't2' }, t2: { items: ['b'] } });
    for await (const page of pagesOf(a.send, (p) => p.next)) if (page.items.includes('a')) break;
    expect(a.asked).toEqual([undefined]);
  });
});
