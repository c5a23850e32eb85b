import { useState, type FormEvent } from 'react';
import { navigate } from '../app/router';
import { hrefOf } from '../app/routes';

/** The search box: a search is a page of its own (/search?term=…), so it can be shared and reloaded. */
export function SearchForm({ term }: { term: string | undefined }) {
  const [text, setText] = useState(term ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(hrefOf({ name: 'search', term: text }));
  };
  return (
    <form className="card search" role="search" onSubmit={submit}>
      <input name="term" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search activities" aria-label="Search activities" />
      <button type="submit" className="button button-primary">
        Search
      </button>
    </form>
  );
}
