import { notFound } from 'next/navigation';
import { EntityPage } from '@/components/entities/entity-page';
import { ipHref } from '@/lib/entities/entity-links';
import { decodePathParam, type SearchParams } from '@/lib/search-params';

type Props = { params: Promise<{ ip: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props) {
  return { title: `Source IP ${decodePathParam((await params).ip)}` };
}

export default async function IpPage({ params, searchParams }: Props) {
  const ip = decodePathParam((await params).ip);
  if (ip === null) notFound();
  return <EntityPage candidate={{ kind: 'ip', ip }} path={ipHref(ip)} searchParams={await searchParams} />;
}
