import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ResultService } from './result.service.js';

/** Client of the Result Proxy. */
@Module({ imports: [HttpModule], providers: [ResultService], exports: [ResultService] })
export class ResultModule {}
