import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'preact-render-to-string';
import { ApiError } from '../../src/api/errors.js';
import { BarChart } from '../../src/components/bar-chart.js';
import { CertificateChainView } from '../../src/components/certificate-chain.js';
import { CertificateSearchForm } from '../../src/components/certificate-search-form.js';
import { ConfirmDialog } from '../../src/components/confirm-dialog.js';
import { ErrorAlert } from '../../src/components/feedback.js';
import { IssuedKeysView } from '../../src/components/issued-keys.js';
import { Layout } from '../../src/components/layout.js';
import { Pager } from '../../src/components/pager.js';
import { StatusBadge } from '../../src/components/status-badge.js';
import { emptySearchForm } from '../../src/lib/certificate-search.js';
import { firstPage, goNext, withNext } from '../../src/lib/paging.js';

const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, 'g'))?.length ?? 0;
const noop = () => {};

test('BarChart: an SVG image with a title, one bar per bucket, axis ticks and a table of the numbers', () => {
  const buckets = Array.from({ length: 30 }, (_, i) => ({
    start: new Date(Date.UTC(2026, 10, 9 + i)),
    count: i % 7,
  }));
  const html = render(
    <BarChart title="Certificates issued per day" interval="DAY" buckets={buckets} testid="issuance-chart" />,
  );
  assert.match(html, /data-testid="issuance-chart"/);
  assert.match(html, /<svg[^>]*role="img"/);
  assert.match(html, /<title>Certificates issued per day<\/title>/);
  assert.match(html, /<desc[^>]*>85 certificates issued over 30 days; at most 6 in one day.<\/desc>/);
  assert.equal(count(html, /class="chart-bar"/), 30);
  assert.equal(count(html, /class="chart-label"/), 10, 'every third day is labelled');
  assert.match(html, />Nov 9</);
  assert.match(html, /<title>2026-11-09: 0<\/title>/);
  assert.equal(count(html, /<tr>/), 31, 'the table: a header row and one row per day');
  assert.match(html, /<th scope="row">2026-12-08<\/th><td>1<\/td>/);
});

test('StatusBadge and ErrorAlert', () => {
  assert.equal(
    render(<StatusBadge status="REVOKED" />),
    '<span class="badge badge-bad" data-testid="status-badge" data-status="REVOKED">REVOKED</span>',
  );
  const html = render(<ErrorAlert error={new ApiError('UnrecognizedClientException', '', 403)} />);
  assert.match(html, /role="alert" data-testid="error-alert"/);
  assert.match(
    html,
    /This access key id is unknown to fleetca \(it may have been deleted\). \(UnrecognizedClientException\)/,
  );
  assert.equal(render(<ErrorAlert error={undefined} />), '');
});

test('ConfirmDialog: a labelled dialog with Cancel before the confirm button', () => {
  const html = render(
    <ConfirmDialog
      open={false}
      title="Revoke this certificate?"
      confirmLabel="Revoke"
      danger
      onConfirm={noop}
      onCancel={noop}
    >
      <p>Revoking is final.</p>
    </ConfirmDialog>,
  );
  assert.match(
    html,
    /^<dialog class="dialog" aria-labelledby="([^"]+)-title" data-testid="confirm-dialog"><h2 id="\1-title">Revoke this certificate\?<\/h2>/,
  );
  assert.ok(html.indexOf('dialog-cancel') < html.indexOf('dialog-confirm'));
  assert.match(html, /class="button button-danger"[^>]*data-testid="dialog-confirm">Revoke</);
  const busy = render(<ConfirmDialog open={false} title="t" confirmLabel="Go" busy onConfirm={noop} onCancel={noop} />);
  assert.match(busy, /disabled[^>]*data-testid="dialog-confirm">Working…</);
});

test('IssuedKeysView: the warning, the private key and a download named for each part', () => {
  const id = '0123456789abcdef'.repeat(4);
  const html = render(
    <IssuedKeysView issued={{ certificateId: id, certificatePem: 'CERT', publicKey: 'PUB', privateKey: 'PRIVATE' }} />,
  );
  assert.match(html, /data-testid="private-key-warning"/);
  assert.match(html, /data-testid="private-key"/);
  assert.match(html, /data-testid="private-key-download">Download 0123456789-private.pem.key</);
  assert.match(html, /data-testid="certificate-pem-download">Download 0123456789-certificate.pem.crt</);
  assert.match(html, /data-testid="public-key-download">Download 0123456789-public.pem.key</);
  assert.match(html, />PRIVATE<\/pre>/);
  assert.ok(html.indexOf('private-key-warning') < html.indexOf('>PRIVATE<'), 'the warning comes first');
});

test('CertificateChainView shows the verdict and the problems', () => {
  const html = render(
    <CertificateChainView
      chain={{
        chain: [{ certificatePem: '', subject: 'CN=leaf', issuer: 'CN=ca', role: 'certificate' }],
        verification: { valid: false, problems: ['The certificate is REVOKED.'] },
      }}
    />,
  );
  assert.match(html, /verdict-bad/);
  assert.match(html, /<li>The certificate is REVOKED.<\/li>/);
  assert.match(html, /This certificate/);
});

test('Pager enables Previous and Next from the marker stack', () => {
  const first = render(
    <Pager stack={withNext(firstPage, 'm')} loading={false} label="x" onPrevious={noop} onNext={noop} />,
  );
  assert.match(first, /disabled="" data-testid="pager-previous"|disabled data-testid="pager-previous"/);
  assert.doesNotMatch(first, /disabled[^>]*data-testid="pager-next"/);
  const second = render(
    <Pager stack={goNext(withNext(firstPage, 'm'))} loading={false} label="x" onPrevious={noop} onNext={noop} />,
  );
  assert.match(second, /Page 2/);
  assert.doesNotMatch(second, /disabled[^>]*data-testid="pager-previous"/);
  assert.match(second, /disabled[^>]*data-testid="pager-next"/);
});

test('the search form labels every field and the layout marks the current section', () => {
  const form = render(<CertificateSearchForm form={emptySearchForm} onChange={noop} onSubmit={noop} onReset={noop} />);
  for (const field of [
    'search-id-prefix',
    'search-status',
    'search-ca-id',
    'search-created-from',
    'search-created-to',
  ]) {
    assert.match(form, new RegExp(`<label for="${field}">`), `${field} has a label`);
    assert.match(form, new RegExp(`id="${field}"[^>]*data-testid="${field}"`));
  }
  const layout = render(
    <Layout section="things" accessKeyId="AKIA1" region="eu-west-1" onSignOut={noop}>
      <p>content</p>
    </Layout>,
  );
  assert.match(layout, /class="skip-link"[^>]*>Skip to content<\/button>/);
  assert.match(layout, /aria-current="page" data-testid="nav-things"/);
  assert.equal(count(layout, /aria-current="page"/), 1);
  assert.match(layout, /<main id="main" tabindex="-1"/i);
});
