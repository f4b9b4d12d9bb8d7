import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { PUBLIC_CONFIGURATION_SCHEMA, WORKER_SCHEMA } from '../openapi/worker-answer-schemas.js';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { ANONYMOUS_RATE_LIMITED } from '../common/http/http-app.js';
import { WalletAddressParamPipe } from '../common/http/required-param.pipe.js';
import { WorkerAuthService } from './auth/worker-auth.service.js';
import { AuthenticatedWallet, WorkerJwtGuard } from './auth/worker-jwt.guard.js';
import type { PublicConfiguration } from './public-configuration.js';
import { PublicConfigurationService } from './public-configuration.service.js';
import { SignatureDto, WorkerModelDto } from './worker.dto.js';
import { toWorkerJson, type WorkerJson } from './worker-json.js';
import { WorkerService } from './worker.service.js';
import {
  ApiBadRequest,
  ApiEmptyAnswers,
  ApiJsonAnswer,
  ApiTextAnswer,
  ApiWorkerAuth,
  ApiAddressQuery,
} from '../openapi/api-answers.js';

/** W1–W6 (worker-api.md §2–3). Plain-text answers are raw strings; explicit errors have no body. */
@Controller('workers')
export class WorkerController {
  constructor(
    private readonly auth: WorkerAuthService,
    private readonly workers: WorkerService,
    private readonly publicConfiguration: PublicConfigurationService,
  ) {}

  /** W1: the wallet's login challenge; 401 (and no challenge) when not whitelisted. */
  @ApiTextAnswer(200, 'The login challenge of the wallet')
  @ApiBadRequest('`walletAddress` missing or not an address')
  @ApiEmptyAnswers({ 401: 'Wallet not whitelisted' })
  @ApiAddressQuery('walletAddress', 'The worker wallet')
  @Get('challenge')
  @RouteConfig(ANONYMOUS_RATE_LIMITED)
  challenge(@Query('walletAddress', WalletAddressParamPipe) walletAddress: string): string {
    const challenge = this.auth.getChallenge(walletAddress);
    if (challenge === undefined) throw new EmptyResponseException(401);
    return challenge;
  }

  /** W2: the JWT (without `Bearer `) for a signature of the current challenge; 401 otherwise. */
  @ApiTextAnswer(200, 'The worker JWT (without `Bearer `)')
  @ApiBadRequest('`walletAddress` or body missing')
  @ApiEmptyAnswers({ 401: 'Signature not over the current challenge, or wallet not whitelisted' })
  @ApiAddressQuery('walletAddress', 'The worker wallet')
  @Post('login')
  @HttpCode(200)
  @RouteConfig(ANONYMOUS_RATE_LIMITED)
  login(
    @Query('walletAddress', WalletAddressParamPipe) walletAddress: string,
    @Req() request: FastifyRequest,
    @Body() signature: SignatureDto,
  ): string {
    requireBody(request);
    const token = this.auth.login(walletAddress, signature.value);
    if (token === undefined) throw new EmptyResponseException(401);
    return token;
  }

  /** W3: records liveness; answers the configuration fingerprint (stable across restarts). */
  @ApiTextAnswer(200, 'The configuration fingerprint')
  @ApiWorkerAuth()
  @Post('ping')
  @HttpCode(200)
  @UseGuards(WorkerJwtGuard)
  ping(@AuthenticatedWallet() walletAddress: string): string {
    this.workers.recordPing(walletAddress);
    return this.publicConfiguration.fingerprint;
  }

  /** W4: upserts the caller's document (identity from the token, never from the body). */
  @ApiJsonAnswer(200, 'The registered worker', WORKER_SCHEMA)
  @ApiBadRequest('Body missing or invalid')
  @ApiWorkerAuth()
  @Post('register')
  @HttpCode(200)
  @UseGuards(WorkerJwtGuard)
  async register(
    @AuthenticatedWallet() walletAddress: string,
    @Req() request: FastifyRequest,
    @Body() model: WorkerModelDto,
  ): Promise<WorkerJson> {
    requireBody(request);
    return toWorkerJson(await this.workers.register(walletAddress, model));
  }

  /** W5: the public configuration, exactly seven properties in order; no authentication. */
  @ApiJsonAnswer(200, 'The public configuration', PUBLIC_CONFIGURATION_SCHEMA)
  @Get('config')
  config(): PublicConfiguration {
    return this.publicConfiguration.configuration;
  }

  /** W6: the caller's computing task ids (`[]` when unknown). */
  @ApiJsonAnswer(200, 'Chain task ids the worker computes', {
    type: 'array',
    items: { type: 'string' },
  })
  @ApiWorkerAuth()
  @Get('computing')
  @UseGuards(WorkerJwtGuard)
  async computing(@AuthenticatedWallet() walletAddress: string): Promise<string[]> {
    return [...(await this.workers.computingTaskIds(walletAddress))];
  }
}

/** A missing request body is a 400 framework error, as Spring answers a required `@RequestBody`. */
function requireBody(request: FastifyRequest): void {
  if (request.body === undefined || request.body === null) {
    throw new BadRequestException('Required request body is missing');
  }
}
