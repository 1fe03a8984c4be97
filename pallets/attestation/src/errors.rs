//! The verifier's errors as this pallet's errors: each [`AttestationError`] has its own
//! [`Error`], so a caller learns from the dispatch error why evidence was refused.

use crate::Error;
use aicf_attestation_verify::AttestationError;

impl<T> From<AttestationError> for Error<T> {
	fn from(e: AttestationError) -> Self {
		match e {
			AttestationError::Parse(_) => Error::<T>::MalformedEvidence,
			AttestationError::Unsupported => Error::<T>::UnsupportedEvidence,
			AttestationError::Chain => Error::<T>::UntrustedChain,
			AttestationError::Signature => Error::<T>::BadEvidenceSignature,
			AttestationError::Expired => Error::<T>::EvidenceExpired,
			AttestationError::NotYetValid => Error::<T>::EvidenceNotYetValid,
			AttestationError::Revoked => Error::<T>::CertificateRevoked,
			AttestationError::TcbStatus(_) => Error::<T>::TcbStatusRejected,
			AttestationError::Measurement => Error::<T>::MeasurementNotAllowed,
			AttestationError::PolicyBit => Error::<T>::PolicyBitRejected,
			AttestationError::Debug => Error::<T>::DebugRefused,
			AttestationError::ReportDataBinding => Error::<T>::ReportDataMismatch,
			AttestationError::TooOld => Error::<T>::EvidenceTooOld,
			AttestationError::CollateralMismatch => Error::<T>::CollateralMismatch,
			AttestationError::TrapFamily => Error::<T>::NoAcceptedTrapFamily,
			AttestationError::PlatformSignature => Error::<T>::BadPlatformSignature,
			AttestationError::RealmSignature => Error::<T>::BadRealmSignature,
			AttestationError::RealmNotBound => Error::<T>::RealmNotBound,
		}
	}
}
