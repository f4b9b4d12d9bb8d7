// TEE tasks: the enclave signs (resultHash, resultSeal); PoCo checks that signature against the
// enclave challenge of the WorkerpoolAuthorization. The real signer is the SMS stand-in's enclave
// key for the task; tests use a local key whose address is the task's enclave challenge.
import type { Address, Hex, LocalAccount } from 'viem';
import { signEnclaveResult } from '../poco/signatures.js';
import type { ServiceStandIns } from '../services/stand-ins.js';

export interface EnclaveSignature {
  enclaveAddress: Address;
  signature: Hex;
}

export interface EnclaveSigner {
  /** EIP-191 signature of keccak256(abi.encodePacked(resultHash, resultSeal)) by the enclave. */
  enclaveSign(chainTaskId: string, resultHash: Hex, resultSeal: Hex): Promise<EnclaveSignature>;
}

/** A local enclave key, one for every task, or chosen per task. */
export class LocalEnclaveSigner implements EnclaveSigner {
  constructor(
    private readonly enclave: LocalAccount | ((chainTaskId: string) => LocalAccount | undefined),
  ) {}

  async enclaveSign(chainTaskId: string, resultHash: Hex, resultSeal: Hex) {
    const account = typeof this.enclave === 'function' ? this.enclave(chainTaskId) : this.enclave;
    if (!account) throw new Error(`no enclave key for task ${chainTaskId}`);
    return {
      enclaveAddress: account.address,
      signature: await signEnclaveResult(account, resultHash, resultSeal),
    };
  }

  /** The enclave keys the SMS stand-ins (Scone, Gramine, then TDX) generated for each TEE task. */
  static ofStandIns(
    services: Pick<ServiceStandIns, 'smsScone' | 'smsGramine' | 'smsTdx'>,
  ): LocalEnclaveSigner {
    return new LocalEnclaveSigner(
      (id) =>
        services.smsScone.enclaveAccount(id) ??
        services.smsGramine.enclaveAccount(id) ??
        services.smsTdx.enclaveAccount(id),
    );
  }
}
