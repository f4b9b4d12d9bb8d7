import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ChainContext } from '../chain/chain-context.js';
import { ZERO_ADDRESS } from '../chain/chain-models.js';
import { signWorkerpoolAuthorization } from '../chain/workerpool-authorization.js';
import { httpCall, isSuccess } from '../common/http/http-call.js';
import { resultUploadCheck } from '../task/rules/result-upload-rules.js';
import type { TaskDescriptionFacts } from '../task/rules/task-description-facts.js';
import { resultProxyUrlOf } from './result-proxy-url.js';

/** 3 attempts, 1 s apart (services.md §6.3). */
const ATTEMPTS = 3;
const DELAY_MS = 1000;

/** "Is the result of this task uploaded?" — decision table, then the Result Proxy when needed. */
@Injectable()
export class ResultService {
  private readonly logger = new Logger(ResultService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly http: HttpService,
    private readonly chain: ChainContext,
  ) {}

  async isResultUploaded(
    chainTaskId: string,
    description: TaskDescriptionFacts | undefined,
    enclaveChallenge: string | undefined,
  ): Promise<boolean> {
    const check = resultUploadCheck(description);
    if (check !== 'ASK_RESULT_PROXY') return check === 'UPLOADED';
    // The worker uploaded where the deal said (iexec-core 8.6 #716): ask that proxy.
    const base = resultProxyUrlOf(
      description?.resultStorageProxy,
      this.config.resultRepository.url,
    );
    if (!base) {
      this.logger.warn(
        `Result of ${chainTaskId} not checked: the deal's result proxy ${JSON.stringify(description?.resultStorageProxy)} is not an http(s) URL`,
        { chainTaskId },
      );
      return false;
    }
    return this.askResultProxy(base, chainTaskId, enclaveChallenge || ZERO_ADDRESS);
  }

  /** POST /v1/results/token as the scheduler, then HEAD /v1/results/{id}; any failure is retried. */
  private async askResultProxy(
    base: string,
    chainTaskId: string,
    enclaveChallenge: string,
  ): Promise<boolean> {
    const authorization = await signWorkerpoolAuthorization(this.chain.account, {
      chainTaskId,
      workerWallet: this.chain.schedulerAddress,
      enclaveChallenge,
    });
    let lastProblem = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const token = await httpCall(this.http, {
          method: 'POST',
          url: `${base}/v1/results/token`,
          headers: { authorization: authorization.signature.value },
          data: authorization,
          timeout: 10_000,
        });
        if (!isSuccess(token.status)) {
          lastProblem = `token: HTTP ${token.status}`;
        } else if (token.body.trim() === '') {
          return false;
        } else {
          const head = await httpCall(this.http, {
            method: 'HEAD',
            url: `${base}/v1/results/${chainTaskId}`,
            headers: { authorization: token.body.trim() },
            timeout: 10_000,
          });
          if (isSuccess(head.status)) return true;
          lastProblem = `result: HTTP ${head.status}`;
        }
      } catch (error) {
        lastProblem = (error as Error).message;
      }
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, DELAY_MS));
    }
    this.logger.debug(`Result of ${chainTaskId} not found at ${base} (${lastProblem})`, {
      chainTaskId,
    });
    return false;
  }
}
