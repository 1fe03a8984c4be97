//! Registration, metadata updates, key rotation and deregistration.
//!
//! Every `do_*` function checks everything before it writes anything, so a failed call leaves
//! storage untouched even outside a transactional layer. Signatures are verified last among
//! the checks because they are the expensive part (cheap-first validation).

use crate::{
	Config, ControllerProviders, Error, Event, HoldReason, KeyOwners, Pallet, ProviderCount,
	ProviderRecord, Providers, RegistrationDeposits, StatusReason,
};
use aicf_primitives::{
	crypto::{RegistryPublicKey, SignatureBytes},
	payload::{RegistrationPayload, RotationPayload, UpdatePayload},
	types::{validate_contact, validate_endpoint, validate_region, Contact, Endpoint, Region},
	Capabilities, CapabilityKind, ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::{Saturating, Zero};

/// One metadata change, signed by the registry key.
pub enum Update {
	/// New capabilities.
	Capabilities(Capabilities),
	/// New endpoint and optionally contact.
	Endpoint(Endpoint, Option<Contact>),
	/// New region.
	Region(Region),
}

impl<T: Config> Pallet<T> {
	/// The error of a key that is not well formed: no algorithm, or a length that is not its
	/// algorithm's.
	fn key_error(e: aicf_primitives::VerifyError) -> Error<T> {
		match e {
			aicf_primitives::VerifyError::UnsupportedAlgorithm => {
				Error::<T>::UnsupportedKeyAlgorithm
			},
			_ => Error::<T>::InvalidPublicKey,
		}
	}

	fn validate_metadata(
		capabilities: Option<&Capabilities>,
		region: Option<&Region>,
		endpoint: Option<&Endpoint>,
		contact: Option<&Contact>,
	) -> DispatchResult {
		if let Some(c) = capabilities {
			c.validate().map_err(|_| Error::<T>::InvalidCapabilities)?;
		}
		if let Some(r) = region {
			validate_region(r).map_err(|_| Error::<T>::InvalidRegion)?;
		}
		if let Some(e) = endpoint {
			validate_endpoint(e).map_err(|_| Error::<T>::InvalidEndpoint)?;
		}
		if let Some(c) = contact {
			validate_contact(c).map_err(|_| Error::<T>::InvalidContact)?;
		}
		Ok(())
	}

	pub(crate) fn do_register(
		controller: T::AccountId,
		key: RegistryPublicKey,
		pop_signature: SignatureBytes,
		capabilities: Capabilities,
		region: Region,
		endpoint: Endpoint,
		contact: Contact,
	) -> DispatchResult {
		key.check_well_formed().map_err(Self::key_error)?;
		let key_hash = key.key_hash();
		ensure!(!KeyOwners::<T>::contains_key(key_hash), Error::<T>::KeyAlreadyRegistered);
		let provider = ProviderId::from_key_hash(&key_hash);
		ensure!(!Providers::<T>::contains_key(provider), Error::<T>::ProviderAlreadyRegistered);
		Self::validate_metadata(
			Some(&capabilities),
			Some(&region),
			Some(&endpoint),
			Some(&contact),
		)?;
		let mut owned = ControllerProviders::<T>::get(&controller);
		owned.try_push(provider).map_err(|_| Error::<T>::TooManyProviders)?;

		let payload = RegistrationPayload {
			genesis: Self::genesis_hash(),
			provider,
			controller: controller.encode(),
			alg: key.alg.id(),
		};
		key.verify(&payload.encode(), &pop_signature)
			.map_err(|_| Error::<T>::BadProofOfPossession)?;
		// The deposit is the first write: if it cannot be held, nothing changed.
		let deposit = T::RegistrationDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::RegistrationDeposit.into(), &controller, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			RegistrationDeposits::<T>::insert(provider, deposit);
		}

		let alg = key.alg;
		let record = ProviderRecord {
			controller: controller.clone(),
			key,
			key_nonce: 0,
			status: ProviderStatus::Registered,
			capabilities,
			region,
			endpoint,
			contact,
			registered_at: frame_system::Pallet::<T>::block_number(),
			attestations: Default::default(),
			last_heartbeat: None,
			heartbeat: Default::default(),
			jailed_until: None,
			cooldown_until: Zero::zero(),
			leases_in_use: 0,
		};
		Self::index_new(&provider, &record.capabilities, &record.region);
		Providers::<T>::insert(provider, record);
		KeyOwners::<T>::insert(key_hash, provider);
		ControllerProviders::<T>::insert(&controller, owned);
		ProviderCount::<T>::mutate(|n| *n = n.saturating_add(1));
		Self::deposit_event(Event::Registered { provider, controller, alg });
		Ok(())
	}

	pub(crate) fn do_update(
		who: T::AccountId,
		provider: ProviderId,
		update: Update,
		signature: SignatureBytes,
	) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		let mut payload = UpdatePayload {
			genesis: Self::genesis_hash(),
			provider,
			nonce: record.key_nonce,
			capabilities: None,
			region: None,
			endpoint: None,
			contact: None,
		};
		match &update {
			Update::Capabilities(c) => {
				Self::validate_metadata(Some(c), None, None, None)?;
				payload.capabilities = Some(c.clone());
			},
			Update::Endpoint(e, c) => {
				Self::validate_metadata(None, None, Some(e), c.as_ref())?;
				payload.endpoint = Some(e.to_vec());
				payload.contact = c.as_ref().map(|c| c.to_vec());
			},
			Update::Region(r) => {
				Self::validate_metadata(None, Some(r), None, None)?;
				payload.region = Some(r.to_vec());
			},
		}
		record.key.verify(&payload.encode(), &signature).map_err(|_| Error::<T>::BadSignature)?;

		record.key_nonce = record.key_nonce.saturating_add(1);
		let event = match update {
			Update::Capabilities(c) => {
				Self::reindex_capabilities(
					&provider,
					record.status,
					&record.region,
					&record.capabilities,
					&c,
				);
				record.capabilities = c;
				// An attestation of a capability no longer declared goes with it: declaring
				// the capability again needs new evidence.
				for kind in [CapabilityKind::Ai, CapabilityKind::Quantum] {
					if !record.capabilities.has(kind) {
						*record.attestations.slot_mut(kind) = None;
					}
				}
				Event::CapabilitiesUpdated { provider }
			},
			Update::Endpoint(e, c) => {
				record.endpoint = e;
				if let Some(c) = c {
					record.contact = c;
				}
				Event::EndpointUpdated { provider }
			},
			Update::Region(r) => {
				Self::relist(
					&provider,
					(&record.capabilities, &record.region),
					(&record.capabilities, &r),
				);
				record.region = r.clone();
				Event::RegionUpdated { provider, region: r }
			},
		};
		Self::deposit_event(event);
		Self::refresh_status(&provider, &mut record, StatusReason::MetadataUpdated);
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	pub(crate) fn do_rotate_key(
		who: T::AccountId,
		provider: ProviderId,
		new_key: RegistryPublicKey,
		signature_by_old: SignatureBytes,
		signature_by_new: SignatureBytes,
	) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		new_key.check_well_formed().map_err(Self::key_error)?;
		ensure!(new_key != record.key, Error::<T>::SameKey);
		let new_hash = new_key.key_hash();
		ensure!(!KeyOwners::<T>::contains_key(new_hash), Error::<T>::KeyAlreadyRegistered);
		let message = RotationPayload {
			genesis: Self::genesis_hash(),
			provider,
			nonce: record.key_nonce,
			new_alg: new_key.alg.id(),
			new_public_key: Vec::from(new_key.bytes.as_slice()),
		}
		.encode();
		record.key.verify(&message, &signature_by_old).map_err(|_| Error::<T>::BadSignature)?;
		new_key.verify(&message, &signature_by_new).map_err(|_| Error::<T>::BadNewKeySignature)?;

		let old_key_hash = record.key.key_hash();
		let new_alg = new_key.alg;
		record.key = new_key;
		record.key_nonce = record.key_nonce.saturating_add(1);
		// Heartbeats under the new key count again from 1: a counter pushed far ahead with a
		// leaked old key cannot lock the provider out. Old heartbeats cannot be replayed: they
		// verify only under the old key, which can never be registered again.
		record.heartbeat.counter = 0;
		// The old key's liveness chain (its seed possibly leaked with the key) ends too.
		Self::end_chain(&provider, &mut record);
		// Evidence binds the registry key: the attestations made for the old key go with it,
		// and the provider is not ACTIVE until it attests under the new one.
		record.attestations = Default::default();
		Self::refresh_status(&provider, &mut record, StatusReason::KeyRotated);
		// The old key's index entry stays, so it can never be registered again.
		KeyOwners::<T>::insert(new_hash, provider);
		Providers::<T>::insert(provider, record);
		// Reports signed by the old key (possibly a leaked one) no longer count.
		crate::QosWindows::<T>::remove(provider);
		Self::deposit_event(Event::KeyRotated { provider, old_key_hash, new_alg });
		Ok(())
	}

	pub(crate) fn do_deregister(who: T::AccountId, provider: ProviderId) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		ensure!(record.leases_in_use == 0, Error::<T>::OpenLeases);
		let ledger = Self::ledger(&provider);
		ensure!(ledger.liabilities.is_zero(), Error::<T>::UnpaidLiabilities);
		ensure!(
			ledger.bonded.is_zero() && ledger.unbonding.is_empty(),
			Error::<T>::FundsStillBonded
		);
		Self::offboard(&provider, &mut record, StatusReason::Deregistered)?;
		Providers::<T>::insert(provider, record);
		Ok(())
	}

	/// Deregister `record` (written back by the caller): status DEREGISTERED, out of every
	/// index, QoS window removed, registration deposit returned to the controller, controller
	/// slot freed, and funds held back (and offences reportable) for
	/// [`Config::OffenceReportWindow`] blocks. The deposit's release is the only step that can
	/// fail (it cannot while the hold matches the deposit, invariant 13), and it comes first:
	/// on failure nothing has changed.
	pub(crate) fn offboard(
		provider: &ProviderId,
		record: &mut crate::ProviderRecordOf<T>,
		reason: StatusReason,
	) -> DispatchResult {
		if let Some(deposit) = RegistrationDeposits::<T>::get(provider) {
			T::Currency::release(
				&HoldReason::RegistrationDeposit.into(),
				&record.controller,
				deposit,
				Precision::Exact,
			)?;
			RegistrationDeposits::<T>::remove(provider);
		}
		let from = record.status;
		Self::reindex_status(provider, &record.capabilities, from, ProviderStatus::Deregistered);
		record.status = ProviderStatus::Deregistered;
		let now = frame_system::Pallet::<T>::block_number();
		record.cooldown_until =
			record.cooldown_until.max(now.saturating_add(T::OffenceReportWindow::get()));
		crate::QosWindows::<T>::remove(provider);
		Self::end_chain(provider, record);
		ControllerProviders::<T>::mutate(&record.controller, |owned| {
			owned.retain(|p| p != provider)
		});
		Self::deposit_event(Event::StatusChanged {
			provider: *provider,
			from,
			to: ProviderStatus::Deregistered,
			reason,
		});
		Self::deposit_event(Event::Deregistered { provider: *provider });
		Ok(())
	}
}
