// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IParticipantRegistry
/// @notice The legal entities that may use TradeFin, their wallets, their business roles, their KYC
///         status, and the settlement currencies the deployment accepts. It is also the access-control
///         hub of a deployment: ONBOARDER_ROLE, PAUSER_ROLE and RATING_AGENT_ROLE are held here and the
///         other contracts ask this registry.
/// @dev An entity is identified by `entityId = keccak256(utf8("<SCHEME>:<IDENTIFIER>"))`, e.g.
///      `keccak256("LEI:5493001KJTIIGC8Y1R12")`. Nothing else about the company is stored on chain.
///      Every rule about "the same company" keys on the entity, never on the wallet.
///      Trust: the onboarder is trusted to register only KYC'd entities under their true identifier;
///      a REGULATOR participant is trusted to suspend and reinstate; the admin (two-step transfer with
///      delay) is trusted to grant roles, curate the currency allowlist and onboard regulators.
///      Regulators are out of the onboarder's reach: an entity that holds REGULATOR, or is being given it,
///      is registered and edited (roles, KYC expiry, wallets) only by DEFAULT_ADMIN_ROLE, and suspended or
///      reinstated only by an active regulator.
interface IParticipantRegistry {
    // ------------------------------------------------------------------ types

    /// @notice One registered legal entity. Fits in one storage slot.
    /// @param index Compact 1-based index other contracts store instead of the 32-byte id (0 = unknown).
    /// @param roles Bit set of ROLE_SUPPLIER | ROLE_BUYER | ROLE_FINANCIER | ROLE_REGULATOR.
    /// @param suspension 0 = not suspended, 1 = suspended by an onboarder, 2 = suspended by a regulator.
    /// @param kycExpiry Unix time after which the entity is no longer active until renewed.
    /// @param walletCount Number of wallets currently bound to the entity.
    struct Entity {
        uint32 index;
        uint8 roles;
        uint8 suspension;
        uint40 kycExpiry;
        uint32 walletCount;
    }

    /// @notice The copy of its entity's status that each bound wallet carries, so that the hot paths of the
    ///         other contracts (acknowledge, transfer, finance) answer "may this wallet act?" from one storage
    ///         slot. Rewritten for every wallet of the entity whenever roles, KYC expiry or suspension change.
    /// @param index Compact index of the wallet's entity (0 = unbound).
    /// @param roles The entity's role bits.
    /// @param suspension The entity's suspension state (see Entity).
    /// @param kycExpiry The entity's KYC expiry.
    /// @param position The wallet's place in its entity's wallet list (see walletsOf).
    /// @param pullOnly The wallet takes receivables only by pulling them itself (a financing pool): see addWallet.
    ///        The one field that outlives removeWallet.
    struct WalletAccess {
        uint32 index;
        uint8 roles;
        uint8 suspension;
        uint40 kycExpiry;
        uint8 position;
        bool pullOnly;
    }

    /// @notice A settlement currency on the allowlist.
    struct Currency {
        bool allowed;
        uint8 decimals;
    }

    // ----------------------------------------------------------------- events

    /// @notice An entity was registered.
    event EntityRegistered(bytes32 indexed entityId, uint32 indexed index, uint8 roles, uint40 kycExpiry);
    /// @notice An entity's role bits changed.
    event RolesChanged(bytes32 indexed entityId, uint8 previousRoles, uint8 roles);
    /// @notice An entity's KYC expiry changed.
    event KycExpiryChanged(bytes32 indexed entityId, uint40 previousExpiry, uint40 kycExpiry);
    /// @notice A wallet was bound to an entity; `pullOnly` when it takes receivables only by pulling them.
    event WalletAdded(bytes32 indexed entityId, address indexed wallet, bool pullOnly);
    /// @notice A wallet was unbound from its entity.
    event WalletRemoved(bytes32 indexed entityId, address indexed wallet);
    /// @notice An entity was suspended (`byRegulator` tells who did it).
    event EntitySuspended(bytes32 indexed entityId, address indexed by, bool byRegulator, bytes32 reason);
    /// @notice A suspension was lifted.
    event EntityReinstated(bytes32 indexed entityId, address indexed by);
    /// @notice A settlement currency was allowed or disallowed.
    event CurrencyAllowedSet(address indexed token, bool allowed, uint8 decimals);

    // ----------------------------------------------------------------- errors

    /// @notice The entity id is zero.
    error ParticipantZeroEntityId();
    /// @notice The wallet or token address is zero.
    error ParticipantZeroAddress();
    /// @notice The role bit set is empty or has bits outside the four known roles.
    error ParticipantInvalidRoles(uint8 roles);
    /// @notice The KYC expiry is not in the future.
    error ParticipantKycExpiryInPast(uint40 kycExpiry, uint256 nowTimestamp);
    /// @notice The entity is already registered.
    error ParticipantAlreadyRegistered(bytes32 entityId);
    /// @notice The entity is not registered.
    error ParticipantUnknownEntity(bytes32 entityId);
    /// @notice The wallet is already bound to an entity.
    error ParticipantWalletAlreadyBound(address wallet, bytes32 entityId);
    /// @notice The wallet is not bound to any entity.
    error ParticipantWalletNotBound(address wallet);
    /// @notice The entity already has the maximum number of wallets bound.
    error ParticipantTooManyWallets(bytes32 entityId, uint256 maxWallets);
    /// @notice The caller is neither an onboarder nor an active regulator.
    error ParticipantNotOnboarderOrRegulator(address caller);
    /// @notice The entity is already suspended.
    error ParticipantAlreadySuspended(bytes32 entityId, uint8 suspension);
    /// @notice The entity is not suspended.
    error ParticipantNotSuspended(bytes32 entityId);
    /// @notice An onboarder tried to lift a suspension that a regulator imposed.
    error ParticipantSuspendedByRegulator(bytes32 entityId);
    /// @notice The wallet is not an active participant holding `role`.
    error ParticipantNotActive(address wallet, uint8 role);
    /// @notice Only DEFAULT_ADMIN_ROLE may register, or change the roles, KYC expiry or wallets of, an entity
    ///         that holds REGULATOR or is being given it. `roles`: the role bits requested, or the entity's
    ///         current ones when the change revokes REGULATOR or edits a regulator.
    error ParticipantRegulatorRequiresAdmin(address caller, bytes32 entityId, uint8 roles);
    /// @notice Only an active regulator may suspend or reinstate an entity that holds REGULATOR.
    error ParticipantRegulatorRequiresRegulator(address caller, bytes32 entityId);
    /// @notice The wallet was once bound pull-only and may be bound again only as pull-only.
    error ParticipantWalletMarkedPullOnly(address wallet);
    /// @notice The entity is not an active participant holding `role`.
    error ParticipantEntityNotActive(bytes32 entityId, uint8 role);
    /// @notice The token is not on the settlement-currency allowlist.
    error ParticipantCurrencyNotAllowed(address token);
    /// @notice The token reports more than 18 decimals, or its decimals() cannot be read.
    error ParticipantUnsupportedCurrency(address token);

    // -------------------------------------------------------------- onboarding

    /// @notice Registers a legal entity and binds its first wallet (not pull-only).
    /// @dev ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE instead when `roles` holds REGULATOR
    ///      (`ParticipantRegulatorRequiresAdmin`). The index is assigned sequentially from 1.
    /// @param entityId keccak256 of "<SCHEME>:<IDENTIFIER>".
    /// @param roles Non-empty bit set of the four known roles.
    /// @param kycExpiry Unix time in the future.
    /// @param wallet First wallet of the entity; must not be bound to any entity nor marked pull-only.
    /// @return index The compact index assigned.
    function registerEntity(
        bytes32 entityId,
        uint8 roles,
        uint40 kycExpiry,
        address wallet
    ) external returns (uint32 index);

    /// @notice Replaces an entity's role bits.
    /// @dev ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE instead when the entity holds REGULATOR or `roles` does
    ///      (granting, revoking or keeping it).
    /// @param entityId The registered entity.
    /// @param roles Non-empty bit set of the four known roles.
    function setRoles(bytes32 entityId, uint8 roles) external;

    /// @notice Sets a new KYC expiry (in the future).
    /// @dev ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE instead for an entity that holds REGULATOR (an onboarder could
    ///      otherwise silence a regulator by shortening its expiry).
    /// @param entityId The registered entity.
    /// @param kycExpiry Unix time in the future.
    function setKycExpiry(bytes32 entityId, uint40 kycExpiry) external;

    /// @notice Binds another wallet to an entity, pull-only or not, in one transaction.
    /// @dev ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE instead for an entity that holds REGULATOR (a wallet bound to a
    ///      regulator acts as one). A financing pool contract is bound as a pull-only wallet of its bank's
    ///      FINANCIER entity: a pool accounts only for receivables it takes through `finance`/`approveRequest`,
    ///      so a receivable pushed to it by a plain transfer (and the payments on it) would be stranded; the
    ///      receivable registry refuses a transfer to a pull-only wallet unless that wallet is the caller.
    ///      The mark is permanent: it survives removeWallet, and binding such a wallet again with
    ///      `pullOnly == false` reverts `ParticipantWalletMarkedPullOnly`. An entity holds at most
    ///      MAX_WALLETS_PER_ENTITY wallets, which bounds the cost of a change of roles, KYC or suspension
    ///      (each rewrites every wallet's WalletAccess).
    /// @param entityId The registered entity.
    /// @param wallet A wallet bound to no entity.
    /// @param pullOnly True when the wallet takes receivables only by pulling them itself (a financing pool).
    function addWallet(bytes32 entityId, address wallet, bool pullOnly) external;

    /// @notice Unbinds a wallet from its entity. A pull-only mark stays with the wallet.
    /// @dev ONBOARDER_ROLE; DEFAULT_ADMIN_ROLE instead for a wallet of an entity that holds REGULATOR.
    /// @param wallet A bound wallet.
    function removeWallet(address wallet) external;

    /// @notice Suspends an entity: it stops being active for every role until reinstated.
    /// @dev ONBOARDER_ROLE or an active REGULATOR participant; only a regulator for an entity that holds
    ///      REGULATOR (`ParticipantRegulatorRequiresRegulator`). A regulator's suspension can only be lifted
    ///      by a regulator; a regulator may also upgrade an onboarder's suspension to its own.
    /// @param entityId The registered entity.
    /// @param reason Free-form reason code, carried by the event.
    function suspend(bytes32 entityId, bytes32 reason) external;

    /// @notice Lifts a suspension. ONBOARDER_ROLE (only its own kind of suspension, and never of an entity that
    ///         holds REGULATOR) or an active REGULATOR.
    /// @param entityId The suspended entity.
    function reinstate(bytes32 entityId) external;

    /// @notice Adds a token to, or removes it from, the settlement-currency allowlist. Only DEFAULT_ADMIN_ROLE.
    /// @dev Assumes a plain ERC-20 stablecoin: no fee on transfer, no rebasing, no transfer callbacks.
    ///      Payments check the balance actually received and refuse a token that takes a fee.
    /// @param token The ERC-20 token (non-zero); when allowed, its decimals() is read and must be ≤ 18
    ///        (`ParticipantUnsupportedCurrency` otherwise).
    /// @param allowed True to allow it, false to remove it (new submissions in it are then refused).
    function setCurrencyAllowed(address token, bool allowed) external;

    // ------------------------------------------------------------------- views

    /// @notice True when `wallet` is bound to a registered, unsuspended entity whose KYC has not expired
    ///         and that holds every bit of `role`.
    /// @param wallet The wallet.
    /// @param role Role bits the entity must all hold (SUPPLIER 1, BUYER 2, FINANCIER 4, REGULATOR 8; 0: any).
    /// @return True when the wallet may act with `role` now.
    function isActive(address wallet, uint8 role) external view returns (bool);

    /// @notice True when the entity is registered, unsuspended, KYC-valid and holds every bit of `role`.
    /// @param entityId The entity.
    /// @param role Role bits the entity must all hold (SUPPLIER 1, BUYER 2, FINANCIER 4, REGULATOR 8; 0: any).
    /// @return True when the entity may act with `role` now.
    function isEntityActive(bytes32 entityId, uint8 role) external view returns (bool);

    /// @notice The wallets bound to an entity (empty when unknown), in no particular order.
    /// @param entityId The entity.
    /// @return wallets Its bound wallets (at most MAX_WALLETS_PER_ENTITY).
    function walletsOf(bytes32 entityId) external view returns (address[] memory wallets);

    /// @notice The entity a wallet is bound to (zero when unbound).
    /// @param wallet The wallet.
    /// @return entityId The entity id, or zero.
    function entityOf(address wallet) external view returns (bytes32 entityId);

    /// @notice The stored record of an entity (all zero when unknown).
    /// @param entityId The entity.
    /// @return The record: index, role bits, suspension, KYC expiry (Unix seconds) and wallet count.
    function entity(bytes32 entityId) external view returns (Entity memory);

    /// @notice The entity id behind a compact index (zero when unknown).
    /// @param index The compact 1-based index.
    /// @return entityId The entity id, or zero.
    function entityIdAt(uint32 index) external view returns (bytes32 entityId);

    /// @notice Number of entities registered so far (the highest index).
    /// @return The count.
    function entityCount() external view returns (uint32);

    /// @notice True when `token` is an allowed settlement currency.
    /// @param token The ERC-20 token.
    /// @return True when it is on the allowlist.
    function isCurrencyAllowed(address token) external view returns (bool);

    /// @notice The allowlist record of `token`.
    /// @param token The ERC-20 token.
    /// @return Whether it is allowed and its decimals (both zero when not allowed).
    function currency(address token) external view returns (Currency memory);

    /// @notice One-call summary of a wallet for other TradeFin contracts: the compact index of its entity
    ///         (0 when unbound), the entity's role bits, and whether the entity is active (registered,
    ///         unsuspended, KYC valid).
    /// @dev Reads one storage slot (the wallet's WalletAccess).
    /// @param wallet The wallet.
    /// @return index Compact index of its entity (0 when unbound).
    /// @return roles The entity's role bits.
    /// @return active True when the entity is unsuspended and its KYC has not expired (false when unbound).
    function walletStatus(address wallet) external view returns (uint32 index, uint8 roles, bool active);

    /// @notice walletStatus plus whether the wallet takes receivables only by pulling them (see addWallet):
    ///         what the receivable registry checks of a transfer's recipient.
    /// @dev Reads the same one slot; kept apart so that the other checks do not decode a fourth value.
    /// @param wallet The wallet.
    /// @return index Compact index of its entity (0 when unbound).
    /// @return roles The entity's role bits.
    /// @return active True when the entity is unsuspended and its KYC has not expired (false when unbound).
    /// @return pullOnly True when the wallet is marked pull-only (a financing pool; kept after removeWallet).
    function recipientStatus(
        address wallet
    ) external view returns (uint32 index, uint8 roles, bool active, bool pullOnly);

    /// @notice Resolves a wallet that must be active with `role` into its entity; reverts
    ///         `ParticipantNotActive` otherwise. Used by other TradeFin contracts in one call.
    /// @param wallet The wallet.
    /// @param role Role bits the entity must all hold (SUPPLIER 1, BUYER 2, FINANCIER 4, REGULATOR 8; 0: any).
    /// @return entityId The wallet's entity.
    /// @return index The entity's compact index.
    function requireActiveWallet(address wallet, uint8 role) external view returns (bytes32 entityId, uint32 index);

    /// @notice Resolves an entity that must be active with `role` into its index; reverts
    ///         `ParticipantEntityNotActive` otherwise.
    /// @param entityId The entity.
    /// @param role Role bits the entity must all hold (SUPPLIER 1, BUYER 2, FINANCIER 4, REGULATOR 8; 0: any).
    /// @return index The entity's compact index.
    function requireActiveEntity(bytes32 entityId, uint8 role) external view returns (uint32 index);

    /// @notice Everything `ReceivableRegistry.submit` needs in one call: the seller wallet's entity (active
    ///         SUPPLIER), the buyer entity's index (active BUYER) and the currency's decimals (allowed).
    ///         Reverts `ParticipantNotActive`, `ParticipantEntityNotActive` or `ParticipantCurrencyNotAllowed`.
    /// @param sellerWallet The submitting wallet (an active SUPPLIER).
    /// @param buyerEntityId The buyer entity (active BUYER).
    /// @param token The settlement currency (allowed).
    /// @return sellerEntityId The seller wallet's entity.
    /// @return sellerIndex The seller entity's compact index.
    /// @return buyerIndex The buyer entity's compact index.
    /// @return decimals The currency's decimals (≤ 18).
    function resolveSubmission(
        address sellerWallet,
        bytes32 buyerEntityId,
        address token
    ) external view returns (bytes32 sellerEntityId, uint32 sellerIndex, uint32 buyerIndex, uint8 decimals);
}
