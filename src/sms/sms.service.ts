import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isAddress } from 'viem';
import { ChainContext } from '../chain/chain-context.js';
import { teeFrameworkOfTag } from '../chain/tee-tag.js';
import { smsChallengeAuthorizationSignature } from '../chain/workerpool-authorization.js';
import { httpCall, isSuccess } from '../common/http/http-call.js';
import { SMS_URLS } from '../platform-registry/platform-registry.module.js';
import { smsUrlOf, type SmsUrls } from '../platform-registry/platform-registry.js';

const TRANSPORT_RETRY = { attempts: 3, delayMs: 300 };

/** The scheduler's two SMS calls for TEE tasks (services.md §5). */
@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    private readonly http: HttpService,
    private readonly chain: ChainContext,
    @Inject(SMS_URLS) private readonly urls: SmsUrls,
  ) {}

  /**
   * The SMS of the tag's TEE framework, verified to serve that framework (`GET /tee/framework`);
   * undefined when the tag is not TEE or the SMS is unreachable or serves another framework.
   */
  async verifiedSmsUrl(chainTaskId: string, tag: string): Promise<string | undefined> {
    const framework = teeFrameworkOfTag(tag);
    if (!framework) return undefined;
    const url = smsUrlOf(this.urls, framework);
    if (!url) {
      this.logger.error(
        `Task ${chainTaskId}: no SMS configured for ${framework} (sms.tdx, SMS_TDX)`,
      );
      return undefined;
    }
    try {
      const answer = await httpCall(
        this.http,
        { method: 'GET', url: `${url}/tee/framework`, timeout: 10_000 },
        TRANSPORT_RETRY,
      );
      const served = answer.body.trim().replace(/^"|"$/g, '');
      if (isSuccess(answer.status) && served === framework) return url;
      this.logger.error(
        `Task ${chainTaskId}: SMS ${url} serves "${served}" (HTTP ${answer.status}), not ${framework}`,
        { chainTaskId },
      );
    } catch (error) {
      this.logger.error(
        `Task ${chainTaskId}: SMS ${url} unreachable: ${(error as Error).message}`,
        { chainTaskId },
      );
    }
    return undefined;
  }

  /** `POST /tee/challenges/{chainTaskId}` signed by the scheduler; the enclave challenge address, or undefined. */
  async generateEnclaveChallenge(chainTaskId: string, smsUrl: string): Promise<string | undefined> {
    try {
      const signature = await smsChallengeAuthorizationSignature(this.chain.account, chainTaskId);
      const answer = await httpCall(
        this.http,
        {
          method: 'POST',
          url: `${smsUrl}/tee/challenges/${chainTaskId}`,
          headers: { authorization: signature },
          timeout: 30_000,
        },
        TRANSPORT_RETRY,
      );
      const body = answer.body.trim().replace(/^"|"$/g, '');
      if (isSuccess(answer.status) && isAddress(body, { strict: false })) return body.toLowerCase();
      this.logger.error(
        `Task ${chainTaskId}: SMS ${smsUrl} gave no enclave challenge (HTTP ${answer.status}, body "${body.slice(0, 80)}")`,
        { chainTaskId },
      );
    } catch (error) {
      this.logger.error(
        `Task ${chainTaskId}: enclave challenge from ${smsUrl} failed: ${(error as Error).message}`,
        { chainTaskId },
      );
    }
    return undefined;
  }
}
