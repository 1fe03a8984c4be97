//! # AICF Provider Registry Pallet
//!
//! Identities, capabilities, stake and lifecycle of AI and quantum compute providers.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, events, errors, storage and configuration.
//! `docs/pallet-registry.md` has the same as tables and the status diagram.
//!
//! ## Overview
//!
//! A provider is identified by a [`ProviderId`] derived from its post-quantum **registry key**
//! (ML-DSA-65 or SLH-DSA-SHA2-128s). An ordinary **controller account** registers it, pays
//! fees, bonds stake and receives funds. Registration carries a proof of possession: the
//! registry key signs the canonical registration payload (genesis hash, controller, id), so
//! nobody can register a key they do not hold or replay a registration on another chain.
//! Updates of capabilities, endpoint and region and key rotations are signed by the registry
//! key as well, each over its canonical payload with a nonce.
//!
//! Stake is held on the controller with `fungible::MutateHold` under
//! [`HoldReason::ProviderStake`]. Every stake or top-up sets `lock_until = now +
//! StakeLockBlocks`; an unstake request unlocks linearly over `UnbondingBlocks` starting at
//! `max(now, lock_until)`; `withdraw` releases what has unlocked; `rebond` cancels pending
//! unstakes.
//!
//! The status (REGISTERED, ACTIVE, JAILED, UNSTAKING, DEREGISTERED) is decided by one pure
//! function, [`status::decide`]; every change emits [`Event::StatusChanged`], and every stake
//! movement its own event: together the append-only audit trail of spec §12. Records are never
//! deleted.
//!
//! ## Low-level details
//!
//! - Storage version 1. Records are keyed by [`ProviderId`]; the key index maps the SHA3-256
//!   of `alg_id || pubkey` of every key ever used to its provider, so a rotated-out key can never
//!   be registered again.
//! - No hook does work proportional to the number of providers.
//! - Invariants are listed on [`Pallet::do_try_state`] and checked after every test.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod lifecycle;
#[cfg(test)]
mod mock;
mod staking;
pub mod status;
#[cfg(test)]
mod tests;
pub mod types;
pub mod unlock;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use aicf_primitives::ProviderId;
use frame_system::pallet_prelude::BlockNumberFor;

/// Provider record type of a runtime.
pub type ProviderRecordOf<T> =
	ProviderRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Stake ledger type of a runtime.
pub type StakeLedgerOf<T> =
	StakeLedger<<T as Config>::Balance, BlockNumberFor<T>, <T as Config>::MaxUnbondingChunks>;

/// SHA3-256 of `alg_id || pubkey`: the key index's key.
pub type KeyHash = [u8; 32];


#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aicf_primitives::{
		crypto::{RegistryPublicKey, SignatureBytes},
		types::{Contact, Endpoint, Region},
		Capabilities, KeyAlgorithm, ProviderStatus,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, tokens::Balance as BalanceT},
	};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Stake bonded by a provider (including stake that is unbonding).
		#[codec(index = 0)]
		ProviderStake,
	}

	/// Configuration. Amounts are in the currency's smallest unit (plancks); durations in blocks.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Currency in which stake is held.
		type Currency: fungible::Inspect<Self::AccountId, Balance = Self::Balance>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::InspectHold<Self::AccountId>;

		/// Balance type of [`Config::Currency`].
		type Balance: BalanceT;

		/// The runtime's hold reason, which this pallet's [`HoldReason`] converts into.
		type RuntimeHoldReason: From<HoldReason>;

		/// Minimum bonded stake of a provider declaring the AI capability, in plancks.
		#[pallet::constant]
		type MinStakeAi: Get<Self::Balance>;

		/// Minimum bonded stake of a provider declaring the quantum capability, in plancks.
		#[pallet::constant]
		type MinStakeQuantum: Get<Self::Balance>;

		/// Blocks after a stake or top-up before any of it may start unbonding.
		#[pallet::constant]
		type StakeLockBlocks: Get<BlockNumberFor<Self>>;

		/// Blocks over which an unstake request unlocks linearly.
		#[pallet::constant]
		type UnbondingBlocks: Get<BlockNumberFor<Self>>;

		/// Blocks for which a heartbeat counts as recent for the status machine.
		#[pallet::constant]
		type HeartbeatValidityBlocks: Get<BlockNumberFor<Self>>;

		/// Most providers one controller account manages at once.
		#[pallet::constant]
		type MaxProvidersPerController: Get<u32>;

		/// Most pending unstake requests per provider.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Provider records by id. Never removed: deregistered records stay for audit.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, ProviderRecordOf<T>, OptionQuery>;

	/// Every registry key ever used (current or rotated out), by `SHA3-256(alg_id || pubkey)`.
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageMap<_, Identity, KeyHash, ProviderId, OptionQuery>;

	/// Providers managed by a controller account, excluding deregistered ones.
	#[pallet::storage]
	pub type ControllerProviders<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<ProviderId, T::MaxProvidersPerController>,
		ValueQuery,
	>;

	/// Stake ledger of each provider that has ever staked.
	#[pallet::storage]
	pub type Ledgers<T: Config> =
		StorageMap<_, Blake2_128Concat, ProviderId, StakeLedgerOf<T>, OptionQuery>;

	/// Number of provider records (deregistered included).
	#[pallet::storage]
	pub type ProviderCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Events. Together they are the append-only audit trail of every status and stake change.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider registered.
		Registered {
			/// The new provider.
			provider: ProviderId,
			/// Its controller account.
			controller: T::AccountId,
			/// Algorithm of its registry key.
			alg: KeyAlgorithm,
		},
		/// A provider's status changed.
		StatusChanged {
			/// The provider.
			provider: ProviderId,
			/// Status before.
			from: ProviderStatus,
			/// Status after.
			to: ProviderStatus,
			/// What caused the change.
			reason: StatusReason,
		},
		/// Capabilities were replaced.
		CapabilitiesUpdated {
			/// The provider.
			provider: ProviderId,
		},
		/// Endpoint (and possibly contact) were replaced.
		EndpointUpdated {
			/// The provider.
			provider: ProviderId,
		},
		/// Region was replaced.
		RegionUpdated {
			/// The provider.
			provider: ProviderId,
			/// The new region.
			region: Region,
		},
		/// The registry key was rotated; the id is unchanged.
		KeyRotated {
			/// The provider.
			provider: ProviderId,
			/// Key index entry of the retired key (it can never be registered again).
			old_key_hash: KeyHash,
			/// Algorithm of the new key.
			new_alg: KeyAlgorithm,
		},
		/// Stake was bonded (first stake or top-up).
		Staked {
			/// The provider.
			provider: ProviderId,
			/// Amount added.
			amount: T::Balance,
			/// Bonded total after.
			bonded: T::Balance,
			/// No unbonding starts before this block.
			lock_until: BlockNumberFor<T>,
		},
		/// An unstake was requested.
		Unbonding {
			/// The provider.
			provider: ProviderId,
			/// Amount that starts unbonding.
			amount: T::Balance,
			/// Unlocking starts at this block.
			start: BlockNumberFor<T>,
			/// Fully unlocked at this block.
			end: BlockNumberFor<T>,
		},
		/// Pending unstakes were cancelled; their remaining amount is bonded again.
		Rebonded {
			/// The provider.
			provider: ProviderId,
			/// Amount bonded again.
			amount: T::Balance,
		},
		/// Unlocked funds were released to the controller.
		Withdrawn {
			/// The provider.
			provider: ProviderId,
			/// Amount released.
			amount: T::Balance,
		},
		/// A provider deregistered; its record is kept.
		Deregistered {
			/// The provider.
			provider: ProviderId,
		},
	}

	/// Errors. Each names the condition that failed; a failed call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// The public key's length does not match its algorithm.
		InvalidPublicKey,
		/// This key is, or once was, registered (rotated-out keys are never reused).
		KeyAlreadyRegistered,
		/// A provider with the derived id already exists.
		ProviderAlreadyRegistered,
		/// The registration proof of possession does not verify.
		BadProofOfPossession,
		/// The registry-key signature over the update or rotation payload does not verify.
		BadSignature,
		/// The new key's signature over the rotation payload does not verify.
		BadNewKeySignature,
		/// Capabilities are empty, malformed, duplicated or have a zero limit.
		InvalidCapabilities,
		/// Region is empty or not `a-z 0-9 -`.
		InvalidRegion,
		/// Endpoint is not an `https://` URL with a host in printable ASCII.
		InvalidEndpoint,
		/// Contact is empty or not printable ASCII.
		InvalidContact,
		/// The controller already manages `MaxProvidersPerController` providers.
		TooManyProviders,
		/// No provider with this id.
		UnknownProvider,
		/// The caller is not the provider's controller.
		NotController,
		/// The provider has deregistered; nothing about it can change.
		ProviderDeregistered,
		/// The amount is zero.
		ZeroAmount,
		/// The controller's free balance cannot cover the stake.
		InsufficientBalance,
		/// Unstake exceeds the bonded stake.
		InsufficientBonded,
		/// `MaxUnbondingChunks` unstake requests are already pending.
		TooManyUnbondingChunks,
		/// No unstake is pending.
		NothingToRebond,
		/// Nothing has unlocked yet.
		NothingToWithdraw,
		/// A cooldown (after a slash or deregistration request) has not ended.
		InCooldown,
		/// The provider has open leases.
		OpenLeases,
		/// Slash liabilities are unpaid.
		UnpaidLiabilities,
		/// Funds are still bonded or unbonding; unstake and withdraw first.
		FundsStillBonded,
		/// The new key equals the current key.
		SameKey,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a provider: its registry key, capabilities and public metadata.
		///
		/// Origin: signed; the signer becomes the controller. `pop_signature` is the registry
		/// key's signature over the canonical registration payload (genesis hash, derived id,
		/// controller, algorithm). Status starts REGISTERED.
		///
		/// Errors: [`Error::InvalidPublicKey`], [`Error::KeyAlreadyRegistered`],
		/// [`Error::ProviderAlreadyRegistered`], [`Error::BadProofOfPossession`],
		/// [`Error::InvalidCapabilities`], [`Error::InvalidRegion`], [`Error::InvalidEndpoint`],
		/// [`Error::InvalidContact`], [`Error::TooManyProviders`].
		/// Events: [`Event::Registered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_ml_dsa().max(T::WeightInfo::register_slh_dsa()))]
		pub fn register(
			origin: OriginFor<T>,
			key: RegistryPublicKey,
			pop_signature: SignatureBytes,
			capabilities: Capabilities,
			region: Region,
			endpoint: Endpoint,
			contact: Contact,
		) -> DispatchResultWithPostInfo {
			let controller = ensure_signed(origin)?;
			let alg = key.alg;
			Self::do_register(controller, key, pop_signature, capabilities, region, endpoint, contact)?;
			Ok(Some(Self::register_weight(alg)).into())
		}

		/// Replace the provider's capabilities; eligibility is re-evaluated in the same call.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 4 = capabilities) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidCapabilities`],
		/// [`Error::BadSignature`]. Events: [`Event::CapabilitiesUpdated`], maybe
		/// [`Event::StatusChanged`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_capabilities())]
		pub fn update_capabilities(
			origin: OriginFor<T>,
			provider: ProviderId,
			capabilities: Capabilities,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, provider, lifecycle::Update::Capabilities(capabilities), signature)
		}

		/// Replace the provider's endpoint and, if given, its contact.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 6 = endpoint, key 7 = contact if given) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidEndpoint`], [`Error::InvalidContact`],
		/// [`Error::BadSignature`]. Events: [`Event::EndpointUpdated`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::update_endpoint())]
		pub fn update_endpoint(
			origin: OriginFor<T>,
			provider: ProviderId,
			endpoint: Endpoint,
			contact: Option<Contact>,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, provider, lifecycle::Update::Endpoint(endpoint, contact), signature)
		}

		/// Replace the provider's region; eligibility is re-evaluated in the same call.
		///
		/// Origin: the provider's controller. `signature`: registry key over the update payload
		/// (key 5 = region) with the current key nonce.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidRegion`], [`Error::BadSignature`].
		/// Events: [`Event::RegionUpdated`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_region())]
		pub fn update_region(
			origin: OriginFor<T>,
			provider: ProviderId,
			region: Region,
			signature: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, provider, lifecycle::Update::Region(region), signature)
		}

		/// Rotate the registry key. The id stays; the old key can never be registered again.
		///
		/// Origin: the provider's controller. Both keys sign the rotation payload (current key
		/// nonce, new algorithm, new key).
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::InvalidPublicKey`], [`Error::SameKey`],
		/// [`Error::KeyAlreadyRegistered`], [`Error::BadSignature`],
		/// [`Error::BadNewKeySignature`]. Events: [`Event::KeyRotated`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::rotate_key())]
		pub fn rotate_key(
			origin: OriginFor<T>,
			provider: ProviderId,
			new_key: RegistryPublicKey,
			signature_by_old: SignatureBytes,
			signature_by_new: SignatureBytes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_key(who, provider, new_key, signature_by_old, signature_by_new)
		}

		/// Bond `amount` more stake (first stake or top-up); resets the lock.
		///
		/// Origin: the provider's controller, whose funds are held.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::ZeroAmount`], [`Error::InsufficientBalance`].
		/// Events: [`Event::Staked`], maybe [`Event::StatusChanged`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::stake())]
		pub fn stake(origin: OriginFor<T>, provider: ProviderId, amount: T::Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_stake(who, provider, amount)
		}

		/// Request to unstake `amount`: status becomes UNSTAKING; the amount unlocks linearly
		/// over `UnbondingBlocks` from `max(now, lock_until)`.
		///
		/// Origin: the provider's controller.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::ZeroAmount`], [`Error::InsufficientBonded`],
		/// [`Error::TooManyUnbondingChunks`]. Events: [`Event::Unbonding`],
		/// [`Event::StatusChanged`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::unstake())]
		pub fn unstake(
			origin: OriginFor<T>,
			provider: ProviderId,
			amount: T::Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unstake(who, provider, amount)
		}

		/// Cancel every pending unstake: what is not yet withdrawn is bonded again.
		///
		/// Origin: the provider's controller.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::NothingToRebond`]. Events:
		/// [`Event::Rebonded`], [`Event::StatusChanged`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::rebond())]
		pub fn rebond(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rebond(who, provider)
		}

		/// Release everything that has unlocked to the controller's free balance.
		///
		/// Origin: the provider's controller. Refused during a cooldown and while liabilities
		/// are unpaid. When the last unstake request is fully withdrawn, UNSTAKING ends.
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::InCooldown`], [`Error::UnpaidLiabilities`], [`Error::NothingToWithdraw`].
		/// Events: [`Event::Withdrawn`], maybe [`Event::StatusChanged`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, provider)
		}

		/// Deregister: status DEREGISTERED, record kept for audit, the controller slot freed.
		///
		/// Origin: the provider's controller. Refused while leases are open, liabilities are
		/// unpaid, or any funds are bonded or unbonding (spec §9: unstake, wait, withdraw, then
		/// deregister).
		///
		/// Errors: [`Error::UnknownProvider`], [`Error::NotController`],
		/// [`Error::ProviderDeregistered`], [`Error::OpenLeases`], [`Error::UnpaidLiabilities`],
		/// [`Error::FundsStillBonded`]. Events: [`Event::StatusChanged`], [`Event::Deregistered`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>, provider: ProviderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who, provider)
		}
	}

	impl<T: Config> Pallet<T> {
		fn register_weight(alg: KeyAlgorithm) -> Weight {
			match alg {
				KeyAlgorithm::MlDsa65 => T::WeightInfo::register_ml_dsa(),
				KeyAlgorithm::SlhDsaSha2_128s => T::WeightInfo::register_slh_dsa(),
			}
		}

		/// Check the pallet's invariants (see [`invariants`](crate::invariants)).
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			crate::invariants::check::<T>()
		}
	}
}
