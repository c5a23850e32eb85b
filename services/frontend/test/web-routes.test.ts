import { hrefOf, pageAt, type Page } from '../web/app/routes';

describe('pageAt', () => {
  it.each<[string, string, Page]>([
    ['/', '', { name: 'home' }],
    ['/notifications', '', { name: 'notifications' }],
    ['/search', '', { name: 'search', term: undefined }],
    ['/search', '?term=cloud%20native', { name: 'search', term: 'cloud native' }],
    ['/search', '?term=', { name: 'search', term: '' }],
    ['/messages', '', { name: 'messageGroups' }],
    ['/messages/@worf', '', { name: 'conversation', handle: 'worf' }],
    ['/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', '', { name: 'activity', uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee' }],
    ['/@andrewbrown', '', { name: 'user', handle: 'andrewbrown' }],
    ['/@andrewbrown/', '', { name: 'user', handle: 'andrewbrown' }],
    ['/@', '', { name: 'notFound', path: '/@' }],
    ['/messages/worf', '', { name: 'notFound', path: '/messages/worf' }],
    ['/activities/a/b', '', { name: 'notFound', path: '/activities/a/b' }],
    ['/%E0%A4%A', '', { name: 'notFound', path: '/%E0%A4%A' }],
  ])('%s%s is %j', (pathname, search, page) => {
    expect(pageAt(pathname, search)).toEqual(page);
  });
});

describe('hrefOf', () => {
  it.each<Page>([
    { name: 'home' },
    { name: 'notifications' },
    { name: 'search', term: undefined },
    { name: 'search', term: 'a & b?' },
    { name: 'search', term: '' },
    { name: 'messageGroups' },
    { name: 'conversation', handle: 'garek' },
    { name: 'activity', uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee' },
    { name: 'user', handle: 'a/b' },
  ])('leads back to %j', (page) => {
    const url = new URL(hrefOf(page), 'http://localhost:3000');
    expect(pageAt(url.pathname, url.search)).toEqual(page);
  });
});
