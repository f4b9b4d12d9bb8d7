import type { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { of } from 'rxjs';
import { resolveSmsUrls } from '../../src/platform-registry/platform-registry.module.js';
import { smsUrlOf } from '../../src/platform-registry/platform-registry.js';
import { testConfig } from '../support/config.js';

/** An HttpService answering one Spring Cloud Config document, recording the URLs asked. */
function registry(source: Record<string, string>) {
  const asked: string[] = [];
  const http = {
    request: (config: AxiosRequestConfig) => {
      asked.push(config.url!);
      const body = JSON.stringify({ propertySources: [{ name: 'application.yml', source }] });
      return of({ status: 200, data: body });
    },
  } as unknown as HttpService;
  return { http, asked };
}

const SGX = { 'sms.scone': 'http://scone', 'sms.gramine': 'http://gramine' };

describe('SMS URLs with TDX (iexec-core 9.1)', () => {
  it('reads sms.tdx from the Platform Registry', async () => {
    const { http } = registry({ ...SGX, 'sms.tdx': 'http://tdx/' });
    expect(await resolveSmsUrls(testConfig(), http)).toEqual({
      scone: 'http://scone',
      gramine: 'http://gramine',
      tdx: 'http://tdx',
    });
  });

  it('sms.tdx is optional: a registry without it still boots, TDX has no SMS', async () => {
    const { http } = registry(SGX);
    expect((await resolveSmsUrls(testConfig(), http)).tdx).toBe('');
  });

  it('SMS_TDX wins over the registry', async () => {
    const { http } = registry({ ...SGX, 'sms.tdx': 'http://tdx' });
    const urls = await resolveSmsUrls(testConfig({ SMS_TDX: 'http://local-tdx' }), http);
    expect(urls.tdx).toBe('http://local-tdx');
  });

  it('SMS_SCONE and SMS_GRAMINE set: the registry is not asked, not even for TDX', async () => {
    const { http, asked } = registry({ ...SGX, 'sms.tdx': 'http://tdx' });
    const env = { SMS_SCONE: 'http://s', SMS_GRAMINE: 'http://g' };
    expect((await resolveSmsUrls(testConfig(env), http)).tdx).toBe('');
    expect((await resolveSmsUrls(testConfig({ ...env, SMS_TDX: 'http://t' }), http)).tdx).toBe(
      'http://t',
    );
    expect(asked).toEqual([]);
  });

  it('picks the SMS of each framework', () => {
    const urls = { scone: 'http://s', gramine: 'http://g', tdx: '' };
    expect(smsUrlOf(urls, 'SCONE')).toBe('http://s');
    expect(smsUrlOf(urls, 'GRAMINE')).toBe('http://g');
    expect(smsUrlOf(urls, 'TDX')).toBe('');
    expect(smsUrlOf({ ...urls, tdx: 'http://t' }, 'TDX')).toBe('http://t');
  });
});
