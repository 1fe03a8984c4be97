//! Registration, metadata updates, key rotation, deregistration and the status refresh.
//!
//! Every `do_*` function checks everything before it writes anything, so a failed call leaves
//! storage untouched even outside a transactional layer. Signatures are verified last among
//! the checks because they are the expensive part (cheap-first validation).

use crate::{
	status::{self, StatusInput},
	Config, ControllerProviders, Error, Event, KeyHash, KeyOwners, Ledgers, Pallet, ProviderCount,
	ProviderRecord, ProviderRecordOf, Providers, StatusReason,
};
use aicf_primitives::{
	crypto::{RegistryPublicKey, SignatureBytes},
	payload::{Hash32, RegistrationPayload, RotationPayload, UpdatePayload},
	traits::{AttestationRecord, AttestationSink},
	types::{validate_contact, validate_endpoint, validate_region, Contact, Endpoint, Region},
	Capabilities, CapabilityKind, ProviderId, ProviderStatus,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sha3::{Digest, Sha3_256};
use sp_runtime::traits::Zero;

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
	/// Genesis hash of this chain, as signed payloads carry it. `CheckGenesis` reads the same
	/// entry; it is set from block 1 on, so it is the real hash whenever a call executes.
	pub fn genesis_hash() -> Hash32 {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		for (dst, src) in out.iter_mut().zip(hash.as_ref().iter()) {
			*dst = *src;
		}
		out
	}

	/// Key index entry of `key`: `SHA3-256(alg_id || pubkey)`.
	pub fn key_hash(key: &RegistryPublicKey) -> KeyHash {
		let mut h = Sha3_256::new();
		h.update([key.alg.id()]);
		h.update(&key.bytes);
		h.finalize().into()
	}

	/// Bonded stake a provider with `capabilities` needs: the largest declared minimum.
	pub fn min_required(capabilities: &Capabilities) -> T::Balance {
		let mut min = T::Balance::zero();
		if capabilities.has(CapabilityKind::Ai) {
			min = min.max(T::MinStakeAi::get());
		}
		if capabilities.has(CapabilityKind::Quantum) {
			min = min.max(T::MinStakeQuantum::get());
		}
		min
	}

	pub(crate) fn ensure_controller(
		who: &T::AccountId,
		provider: &ProviderId,
	) -> Result<ProviderRecordOf<T>, DispatchError> {
		let record = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(record.controller == *who, Error::<T>::NotController);
		Ok(record)
	}

	pub(crate) fn ensure_live_controller(
		who: &T::AccountId,
		provider: &ProviderId,
	) -> Result<ProviderRecordOf<T>, DispatchError> {
		let record = Self::ensure_controller(who, provider)?;
		ensure!(record.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		Ok(record)
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

	/// Facts for the status machine at the current block.
	pub fn status_input(record: &ProviderRecordOf<T>, provider: &ProviderId) -> StatusInput {
		Self::status_input_with(record, &Ledgers::<T>::get(provider).unwrap_or_default())
	}

	/// [`Self::status_input`] with the provider's ledger already loaded.
	pub fn status_input_with(
		record: &ProviderRecordOf<T>,
		ledger: &crate::StakeLedgerOf<T>,
	) -> StatusInput {
		let now = frame_system::Pallet::<T>::block_number();
		StatusInput {
			deregistered: record.status == ProviderStatus::Deregistered,
			jailed: record.jailed_until.is_some(),
			unbonding: !ledger.unbonding.is_empty(),
			stake_sufficient: !ledger.bonded.is_zero()
				&& ledger.bonded >= Self::min_required(&record.capabilities),
			attestation_current: record.attestation.as_ref().is_some_and(|a| now < a.expires_at),
			heartbeat_recent: record.last_heartbeat.is_some() && Self::missed(record, now) == 0,
			healthy: Self::effective_health(record, now) >= T::HealthThreshold::get(),
		}
	}

	/// Concurrent leases `record` may hold: its declared capacity, capped by
	/// `MaxConcurrentLeases`.
	pub fn max_concurrent(record: &ProviderRecordOf<T>) -> u32 {
		record.heartbeat.report.leases_capacity.min(T::MaxConcurrentLeases::get())
	}

	/// Re-decide `record`'s status; on a change, store it into `record` and emit
	/// [`Event::StatusChanged`]. An ACTIVE provider found silent too long or unhealthy is
	/// jailed first (jailing route (a): any call touching the record). The caller writes
	/// `record` back.
	pub(crate) fn refresh_status(
		provider: &ProviderId,
		record: &mut ProviderRecordOf<T>,
		mut reason: StatusReason,
	) {
		if Self::should_jail(record, frame_system::Pallet::<T>::block_number()) {
			Self::set_jailed(provider, record, T::JailCooldownBlocks::get());
			reason = StatusReason::Unresponsive;
		}
		let to = status::decide(Self::status_input(record, provider));
		if to != record.status {
			let from = record.status;
			record.status = to;
			Self::reindex_status(provider, &record.capabilities, from, to);
			Self::deposit_event(Event::StatusChanged { provider: *provider, from, to, reason });
		}
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
		key.check_well_formed().map_err(|_| Error::<T>::InvalidPublicKey)?;
		let key_hash = Self::key_hash(&key);
		ensure!(!KeyOwners::<T>::contains_key(key_hash), Error::<T>::KeyAlreadyRegistered);
		let provider = key.provider_id();
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
			attestation: None,
			last_heartbeat: None,
			heartbeat: Default::default(),
			jailed_until: None,
			cooldown_until: Zero::zero(),
			leases_in_use: 0,
		};
		Self::list(&provider, &record.capabilities, &record.region);
		Providers::<T>::insert(provider, record);
		crate::StatusIndex::<T>::insert(ProviderStatus::Registered, provider, ());
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
				// An ACTIVE provider is indexed under its capabilities: move its entries.
				if record.status == ProviderStatus::Active {
					Self::index_remove(&provider, &record.capabilities);
					Self::index_insert(&provider, &c);
				}
				Self::relist(
					&provider,
					(&record.capabilities, &record.region),
					(&c, &record.region),
				);
				record.capabilities = c;
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
		new_key.check_well_formed().map_err(|_| Error::<T>::InvalidPublicKey)?;
		ensure!(new_key != record.key, Error::<T>::SameKey);
		let new_hash = Self::key_hash(&new_key);
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

		let old_key_hash = Self::key_hash(&record.key);
		let new_alg = new_key.alg;
		record.key = new_key;
		record.key_nonce = record.key_nonce.saturating_add(1);
		// The old key's index entry stays, so it can never be registered again.
		KeyOwners::<T>::insert(new_hash, provider);
		Providers::<T>::insert(provider, record);
		Self::deposit_event(Event::KeyRotated { provider, old_key_hash, new_alg });
		Ok(())
	}

	pub(crate) fn do_deregister(who: T::AccountId, provider: ProviderId) -> DispatchResult {
		let mut record = Self::ensure_live_controller(&who, &provider)?;
		ensure!(record.leases_in_use == 0, Error::<T>::OpenLeases);
		let ledger = Ledgers::<T>::get(provider).unwrap_or_default();
		ensure!(ledger.liabilities.is_zero(), Error::<T>::UnpaidLiabilities);
		ensure!(
			ledger.bonded.is_zero() && ledger.unbonding.is_empty(),
			Error::<T>::FundsStillBonded
		);

		let from = record.status;
		Self::reindex_status(&provider, &record.capabilities, from, ProviderStatus::Deregistered);
		record.status = ProviderStatus::Deregistered;
		Providers::<T>::insert(provider, record);
		ControllerProviders::<T>::mutate(&who, |owned| owned.retain(|p| *p != provider));
		Self::deposit_event(Event::StatusChanged {
			provider,
			from,
			to: ProviderStatus::Deregistered,
			reason: StatusReason::Deregistered,
		});
		Self::deposit_event(Event::Deregistered { provider });
		Ok(())
	}
}

/// The attestation pallet asks who may submit evidence for a provider.
impl<T: Config> aicf_primitives::traits::ProviderControllers<T::AccountId> for Pallet<T> {
	fn controller(provider: &ProviderId) -> Option<T::AccountId> {
		Providers::<T>::get(provider)
			.filter(|r| r.status != ProviderStatus::Deregistered)
			.map(|r| r.controller)
	}
}

/// The attestation pallet hands verified results over through this; eligibility is
/// re-evaluated in the same call.
impl<T: Config> AttestationSink<BlockNumberFor<T>> for Pallet<T> {
	fn attestation_verified(
		provider: &ProviderId,
		record: AttestationRecord<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		ensure!(p.status != ProviderStatus::Deregistered, Error::<T>::ProviderDeregistered);
		p.attestation = Some(record);
		Self::refresh_status(provider, &mut p, StatusReason::AttestationUpdated);
		Providers::<T>::insert(provider, p);
		Ok(())
	}

	fn attestation_revoked(provider: &ProviderId) -> DispatchResult {
		let mut p = Providers::<T>::get(provider).ok_or(Error::<T>::UnknownProvider)?;
		p.attestation = None;
		Self::refresh_status(provider, &mut p, StatusReason::AttestationRevoked);
		Providers::<T>::insert(provider, p);
		Ok(())
	}
}
