// What every fixture needs: the deployment, viem clients and the EIP-712 domain of the orders.
import type { TypedDataDomain } from 'viem';
import type { ChainClients } from '../chain/clients.js';
import type { PocoDeployment } from './deployment.js';
import { pocoDomain } from './orders.js';

export interface PocoContext {
  deployment: PocoDeployment;
  clients: ChainClients;
  domain: TypedDataDomain;
}

export function pocoContext(deployment: PocoDeployment, clients: ChainClients): PocoContext {
  return { deployment, clients, domain: pocoDomain(deployment.chainId, deployment.hub) };
}
