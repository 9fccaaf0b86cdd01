import { notFound } from 'next/navigation';
import { EntityPage } from '@/components/entities/entity-page';
import { podHref } from '@/lib/entities/entity-links';
import { decodePathParam, type SearchParams } from '@/lib/search-params';

type Props = { params: Promise<{ namespace: string; name: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props) {
  const [namespace, name] = [decodePathParam((await params).namespace), decodePathParam((await params).name)];
  return { title: `Pod ${namespace}/${name}` };
}

export default async function PodPage({ params, searchParams }: Props) {
  const [namespace, name] = [decodePathParam((await params).namespace), decodePathParam((await params).name)];
  if (namespace === null || name === null) notFound();
  return (
    <EntityPage
      candidate={{ kind: 'pod', namespace, name }}
      path={podHref(namespace, name)}
      searchParams={await searchParams}
    />
  );
}
