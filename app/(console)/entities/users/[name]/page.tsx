import { notFound } from 'next/navigation';
import { EntityPage } from '@/components/entities/entity-page';
import { userHref } from '@/lib/entities/entity-links';
import { decodePathParam, type SearchParams } from '@/lib/search-params';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props) {
  return { title: `User ${decodePathParam((await params).name)}` };
}

export default async function UserPage({ params, searchParams }: Props) {
  const name = decodePathParam((await params).name);
  if (name === null) notFound();
  return <EntityPage candidate={{ kind: 'user', name }} path={userHref(name)} searchParams={await searchParams} />;
}
