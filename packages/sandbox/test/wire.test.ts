import { describe, expect, it } from '@jest/globals';
import { toAwsJson } from '../src/core/protocols/aws-json.js';
import { awsQueryError, renderXml } from '../src/core/protocols/aws-query.js';
import { checkSigV4 } from '../src/core/sigv4.js';

describe('awsJson serialisation', () => {
  it('turns every Date, however deep, into epoch seconds with fractions', () => {
    const out = JSON.parse(
      toAwsJson({ a: new Date(1_700_000_000_250), list: [{ at: new Date(0) }], text: 'x', none: undefined }),
    );
    expect(out).toEqual({ a: 1_700_000_000.25, list: [{ at: 0 }], text: 'x' });
  });
});

describe('awsQuery rendering', () => {
  it('escapes text, names list members, renders Dates as ISO 8601 and skips absent values', () => {
    const xml = renderXml(
      {
        Name: 'a<b>&"c"',
        Snapshots: [{ Id: 's1', Tags: [{ Key: 'k', Value: 'v' }] }],
        Created: new Date('2026-01-02T03:04:05Z'),
        Encrypted: false,
        Missing: undefined,
      },
      { Snapshots: 'DBSnapshot', Tags: 'Tag' },
    );
    expect(xml).toBe(
      '<Name>a&lt;b&gt;&amp;&quot;c&quot;</Name>' +
        '<Snapshots><DBSnapshot><Id>s1</Id><Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags></DBSnapshot></Snapshots>' +
        '<Created>2026-01-02T03:04:05.000Z</Created><Encrypted>false</Encrypted>',
    );
  });

  it('types errors as Sender below 500 and Receiver from 500', () => {
    const options = { signingName: 'rds', requestId: 'r-1' };
    expect(awsQueryError('Throttling', 'Rate exceeded', 400, options).body).toContain('<Type>Sender</Type>');
    expect(awsQueryError('InternalFailure', 'x', 500, options).body).toContain('<Type>Receiver</Type>');
  });
});

describe('SigV4 header shape', () => {
  const good =
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/eu-central-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd';

  it('reads the region and signing name from the credential scope', () => {
    expect(checkSigV4(good)).toEqual({
      ok: true,
      scope: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', date: '20260101', region: 'eu-central-1', service: 'ecs' },
    });
  });

  it.each([
    [undefined, true],
    ['', true],
    ['Bearer abc', false],
    ['AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecs/aws4_request', false],
    ['AWS4-HMAC-SHA256 Credential=AKID/eu-west-1/ecs, SignedHeaders=host, Signature=x', false],
  ])('refuses %p (missing: %p)', (header, missing) => {
    expect(checkSigV4(header)).toMatchObject({ ok: false, missing });
  });
});
