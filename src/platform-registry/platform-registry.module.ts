import { HttpModule, HttpService } from '@nestjs/axios';
import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { httpCall } from '../common/http/http-call.js';
import { propertiesOf, registryPaths, SmsUrls } from './platform-registry.js';

export class PlatformRegistryError extends Error {
  override name = 'PlatformRegistryError';
}

/**
 * Resolves the SMS URLs once at boot (services.md §4): local SMS_SCONE / SMS_GRAMINE / SMS_TDX
 * win; the Platform Registry is asked only when Scone or Gramine is missing, and boot fails if it
 * cannot say. `sms.tdx` is optional (iexec-core 9.1): without it TDX tasks fail at initialization.
 * Not asking the registry for TDX alone keeps 8.5 set-ups (both SGX variables, no registry) booting.
 */
export async function resolveSmsUrls(config: AppConfig, http: HttpService): Promise<SmsUrls> {
  const logger = new Logger('PlatformRegistry');
  if (config.sms.scone && config.sms.gramine) {
    if (!config.sms.tdx) logger.warn('No SMS_TDX: TDX tasks will fail at initialization');
    return { scone: config.sms.scone, gramine: config.sms.gramine, tdx: config.sms.tdx };
  }
  const base = config.platformRegistry.url;
  const problems: string[] = [];
  for (const path of registryPaths(config.platformRegistry.stack, config.platformRegistry.labels)) {
    const url = `${base}${path}`;
    let answer;
    try {
      answer = await httpCall(
        http,
        {
          method: 'GET',
          url,
          headers: { accept: 'application/vnd.spring-cloud.config-server.v2+json' },
          timeout: 10_000,
        },
        { attempts: 3, delayMs: 500 },
      );
    } catch (error) {
      throw new PlatformRegistryError(
        `Platform Registry unreachable at ${url} (${(error as Error).message}); set IEXEC_PLATFORM_REGISTRY, or SMS_SCONE and SMS_GRAMINE (and SMS_TDX)`,
      );
    }
    if (answer.status === 404) {
      problems.push(`${url}: 404`);
      continue;
    }
    if (answer.status < 200 || answer.status >= 300)
      throw new PlatformRegistryError(`Platform Registry ${url} answered HTTP ${answer.status}`);
    let parsed;
    try {
      parsed = propertiesOf(JSON.parse(answer.body));
    } catch (error) {
      throw new PlatformRegistryError(
        `Platform Registry ${url} answered an unreadable document: ${(error as Error).message}`,
      );
    }
    const scone = config.sms.scone || parsed.properties.get('sms.scone');
    const gramine = config.sms.gramine || parsed.properties.get('sms.gramine');
    const tdx = (config.sms.tdx || parsed.properties.get('sms.tdx') || '').replace(/\/+$/, '');
    const missing = [!scone && 'sms.scone', !gramine && 'sms.gramine'].filter(Boolean);
    if (missing.length > 0)
      throw new PlatformRegistryError(
        `Platform Registry ${url} does not define ${missing.join(' and ')} (sources: ${parsed.sources.join(', ') || 'none'})`,
      );
    logger.log(`SMS URLs from ${url}: scone=${scone}, gramine=${gramine}, tdx=${tdx || '(none)'}`);
    return { scone: scone!.replace(/\/+$/, ''), gramine: gramine!.replace(/\/+$/, ''), tdx };
  }
  throw new PlatformRegistryError(
    `Platform Registry has none of the requested labels (${problems.join('; ')})`,
  );
}

export const SMS_URLS = Symbol('SMS_URLS');

@Global()
@Module({
  imports: [HttpModule],
  providers: [{ provide: SMS_URLS, inject: [AppConfig, HttpService], useFactory: resolveSmsUrls }],
  exports: [SMS_URLS],
})
export class PlatformRegistryModule {}
