// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ParticipantRegistry
/// @notice Entities, their wallets, role bits, KYC expiry and suspension; the settlement-currency allowlist;
///         and the access-control hub (ONBOARDER_ROLE, PAUSER_ROLE, RATING_AGENT_ROLE) of a deployment.
/// @dev An entity that holds REGULATOR (or is being given it) is onboarded and edited by DEFAULT_ADMIN alone,
///      and suspended or reinstated by a regulator alone: the onboarder can neither make a regulator nor
///      silence one (issue 12, item 5).
contract ParticipantRegistry is IParticipantRegistry, AccessControlDefaultAdminRules {
    // ------------------------------------------------------------ constants

    /// @notice Role ids re-exported for off-chain callers.
    bytes32 public constant ONBOARDER_ROLE = Roles.ONBOARDER_ROLE;
    /// @notice Guardian role: pauses new business, never payments.
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER_ROLE;
    /// @notice Posts buyers' probabilities of default to the risk engine.
    bytes32 public constant RATING_AGENT_ROLE = Roles.RATING_AGENT_ROLE;

    /// @notice Most wallets one entity may hold: bounds the loop that keeps their WalletAccess in step.
    uint256 public constant MAX_WALLETS_PER_ENTITY = 16;

    uint8 private constant _NOT_SUSPENDED = 0;
    uint8 private constant _SUSPENDED_BY_ONBOARDER = 1;
    uint8 private constant _SUSPENDED_BY_REGULATOR = 2;

    // -------------------------------------------------------------- storage

    /// @dev The record of each registered entity.
    mapping(bytes32 entityId => Entity) private _entities;
    /// @dev Reverse lookup of the compact index.
    mapping(uint32 index => bytes32 entityId) private _entityIds;
    /// @dev The entity each wallet is bound to (zero when unbound).
    mapping(address wallet => bytes32 entityId) private _walletEntity;
    /// @dev Each bound wallet's copy of its entity's status: the one slot the hot paths read.
    mapping(address wallet => WalletAccess) private _access;
    /// @dev The wallets of each entity, by compact index and position 0..walletCount-1.
    mapping(uint32 index => mapping(uint256 position => address wallet)) private _walletAt;
    /// @dev The settlement-currency allowlist.
    mapping(address token => Currency) private _currencies;
    /// @dev Highest index assigned so far.
    uint32 private _entityCount;

    // ---------------------------------------------------------- constructor

    /// @param initialAdmin Holder of DEFAULT_ADMIN_ROLE.
    /// @param adminTransferDelay Seconds a new admin must wait before accepting the role.
    constructor(
        address initialAdmin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, initialAdmin) {}

    // ----------------------------------------------------------- onboarding

    /// @inheritdoc IParticipantRegistry
    function registerEntity(
        bytes32 entityId,
        uint8 roles,
        uint40 kycExpiry,
        address wallet
    ) external returns (uint32 index) {
        _checkOnboarding(entityId, roles);
        require(entityId != bytes32(0), ParticipantZeroEntityId());
        require(_entities[entityId].index == 0, ParticipantAlreadyRegistered(entityId));
        _checkRoles(roles);
        _checkExpiry(kycExpiry);
        _checkUnboundWallet(wallet, false);

        index = ++_entityCount;
        Entity storage e = _entities[entityId];
        (e.index, e.roles, e.kycExpiry) = (index, roles, kycExpiry);
        _entityIds[index] = entityId;
        _bind(entityId, e, wallet, false);
        emit EntityRegistered(entityId, index, roles, kycExpiry);
        emit WalletAdded(entityId, wallet, false);
    }

    /// @inheritdoc IParticipantRegistry
    function setRoles(bytes32 entityId, uint8 roles) external {
        // A grant is judged by the new bits, a revocation (or any edit of a regulator) by the current ones.
        _checkOnboarding(entityId, (roles & Roles.REGULATOR) != 0 ? roles : _entities[entityId].roles);
        Entity storage e = _known(entityId);
        _checkRoles(roles);
        uint8 previous = e.roles;
        e.roles = roles;
        _syncWallets(e);
        emit RolesChanged(entityId, previous, roles);
    }

    /// @inheritdoc IParticipantRegistry
    function setKycExpiry(bytes32 entityId, uint40 kycExpiry) external {
        _checkOnboarding(entityId, _entities[entityId].roles);
        Entity storage e = _known(entityId);
        _checkExpiry(kycExpiry);
        uint40 previous = e.kycExpiry;
        e.kycExpiry = kycExpiry;
        _syncWallets(e);
        emit KycExpiryChanged(entityId, previous, kycExpiry);
    }

    /// @inheritdoc IParticipantRegistry
    function addWallet(bytes32 entityId, address wallet, bool pullOnly) external {
        _checkOnboarding(entityId, _entities[entityId].roles);
        Entity storage e = _known(entityId);
        _checkUnboundWallet(wallet, pullOnly);
        require(e.walletCount < MAX_WALLETS_PER_ENTITY, ParticipantTooManyWallets(entityId, MAX_WALLETS_PER_ENTITY));
        _bind(entityId, e, wallet, pullOnly);
        emit WalletAdded(entityId, wallet, pullOnly);
    }

    /// @inheritdoc IParticipantRegistry
    function removeWallet(address wallet) external {
        bytes32 entityId = _walletEntity[wallet];
        Entity storage e = _entities[entityId];
        _checkOnboarding(entityId, e.roles);
        require(entityId != bytes32(0), ParticipantWalletNotBound(wallet));
        // Swap and pop: the entity's last wallet takes the removed one's position.
        uint32 index = e.index;
        uint8 position = _access[wallet].position;
        uint32 last = e.walletCount - 1;
        if (position != last) {
            address moved = _walletAt[index][last];
            _walletAt[index][position] = moved;
            _access[moved].position = position;
        }
        delete _walletAt[index][last];
        e.walletCount = last;
        // The pull-only mark outlives the binding: an unbound wallet's record keeps only that bit.
        if (_access[wallet].pullOnly) {
            _access[wallet] = WalletAccess({
                index: 0,
                roles: 0,
                suspension: 0,
                kycExpiry: 0,
                position: 0,
                pullOnly: true
            });
        } else {
            delete _access[wallet];
        }
        delete _walletEntity[wallet];
        emit WalletRemoved(entityId, wallet);
    }

    /// @inheritdoc IParticipantRegistry
    function suspend(bytes32 entityId, bytes32 reason) external {
        bool byRegulator = _checkOnboarderOrRegulator();
        Entity storage e = _known(entityId);
        _checkRegulatorTarget(e, byRegulator, entityId);
        // A regulator may upgrade an onboarder's suspension so that only a regulator can lift it.
        bool upgradable = byRegulator && e.suspension == _SUSPENDED_BY_ONBOARDER;
        require(e.suspension == _NOT_SUSPENDED || upgradable, ParticipantAlreadySuspended(entityId, e.suspension));
        e.suspension = byRegulator ? _SUSPENDED_BY_REGULATOR : _SUSPENDED_BY_ONBOARDER;
        _syncWallets(e);
        emit EntitySuspended(entityId, msg.sender, byRegulator, reason);
    }

    /// @inheritdoc IParticipantRegistry
    function reinstate(bytes32 entityId) external {
        bool byRegulator = _checkOnboarderOrRegulator();
        Entity storage e = _known(entityId);
        _checkRegulatorTarget(e, byRegulator, entityId);
        require(e.suspension != _NOT_SUSPENDED, ParticipantNotSuspended(entityId));
        require(byRegulator || e.suspension == _SUSPENDED_BY_ONBOARDER, ParticipantSuspendedByRegulator(entityId));
        e.suspension = _NOT_SUSPENDED;
        _syncWallets(e);
        emit EntityReinstated(entityId, msg.sender);
    }

    /// @inheritdoc IParticipantRegistry
    function setCurrencyAllowed(address token, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        require(token != address(0), ParticipantZeroAddress());
        uint8 decimals = 0;
        if (allowed) decimals = _readDecimals(token);
        _currencies[token] = Currency({allowed: allowed, decimals: decimals});
        emit CurrencyAllowedSet(token, allowed, decimals);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IParticipantRegistry
    function isActive(address wallet, uint8 role) external view returns (bool) {
        return _isWalletActive(wallet, role);
    }

    /// @inheritdoc IParticipantRegistry
    function isEntityActive(bytes32 entityId, uint8 role) external view returns (bool) {
        return _isActive(_entities[entityId], role);
    }

    /// @inheritdoc IParticipantRegistry
    function walletsOf(bytes32 entityId) external view returns (address[] memory wallets) {
        Entity memory e = _entities[entityId];
        wallets = new address[](e.walletCount);
        for (uint256 k = 0; k < wallets.length; ++k) wallets[k] = _walletAt[e.index][k];
    }

    /// @inheritdoc IParticipantRegistry
    function entityOf(address wallet) external view returns (bytes32) {
        return _walletEntity[wallet];
    }

    /// @inheritdoc IParticipantRegistry
    function entity(bytes32 entityId) external view returns (Entity memory) {
        return _entities[entityId];
    }

    /// @inheritdoc IParticipantRegistry
    function entityIdAt(uint32 index) external view returns (bytes32) {
        return _entityIds[index];
    }

    /// @inheritdoc IParticipantRegistry
    function entityCount() external view returns (uint32) {
        return _entityCount;
    }

    /// @inheritdoc IParticipantRegistry
    function isCurrencyAllowed(address token) external view returns (bool) {
        return _currencies[token].allowed;
    }

    /// @inheritdoc IParticipantRegistry
    function currency(address token) external view returns (Currency memory) {
        return _currencies[token];
    }

    /// @inheritdoc IParticipantRegistry
    function walletStatus(address wallet) external view returns (uint32 index, uint8 roles, bool active) {
        // One slot. An unbound wallet's record is all zero: index 0, no roles, and an expiry in the past.
        WalletAccess memory a = _access[wallet];
        return (a.index, a.roles, _isActiveNow(a.suspension, a.kycExpiry));
    }

    /// @inheritdoc IParticipantRegistry
    function recipientStatus(
        address wallet
    ) external view returns (uint32 index, uint8 roles, bool active, bool pullOnly) {
        WalletAccess memory a = _access[wallet];
        return (a.index, a.roles, _isActiveNow(a.suspension, a.kycExpiry), a.pullOnly);
    }

    /// @inheritdoc IParticipantRegistry
    function requireActiveWallet(address wallet, uint8 role) external view returns (bytes32 entityId, uint32 index) {
        entityId = _walletEntity[wallet];
        Entity memory e = _entities[entityId];
        require(entityId != bytes32(0) && _isActive(e, role), ParticipantNotActive(wallet, role));
        index = e.index;
    }

    /// @inheritdoc IParticipantRegistry
    function requireActiveEntity(bytes32 entityId, uint8 role) external view returns (uint32 index) {
        Entity memory e = _entities[entityId];
        require(_isActive(e, role), ParticipantEntityNotActive(entityId, role));
        index = e.index;
    }

    /// @inheritdoc IParticipantRegistry
    function resolveSubmission(
        address sellerWallet,
        bytes32 buyerEntityId,
        address token
    ) external view returns (bytes32 sellerEntityId, uint32 sellerIndex, uint32 buyerIndex, uint8 decimals) {
        sellerEntityId = _walletEntity[sellerWallet];
        Entity memory seller = _entities[sellerEntityId];
        require(
            sellerEntityId != bytes32(0) && _isActive(seller, Roles.SUPPLIER),
            ParticipantNotActive(sellerWallet, Roles.SUPPLIER)
        );
        Entity memory buyer = _entities[buyerEntityId];
        require(_isActive(buyer, Roles.BUYER), ParticipantEntityNotActive(buyerEntityId, Roles.BUYER));
        Currency memory c = _currencies[token];
        require(c.allowed, ParticipantCurrencyNotAllowed(token));
        return (sellerEntityId, seller.index, buyer.index, c.decimals);
    }

    // ------------------------------------------------------------- internal

    function _isActive(Entity memory e, uint8 role) private view returns (bool) {
        // role == 0 would make "holds every bit" vacuous; treat it as "any registered entity".
        return e.index != 0 && _isActiveNow(e.suspension, e.kycExpiry) && (e.roles & role) == role;
    }

    /// @dev isActive from the wallet's one-slot copy of its entity's status.
    function _isWalletActive(address wallet, uint8 role) private view returns (bool) {
        WalletAccess memory a = _access[wallet];
        return a.index != 0 && _isActiveNow(a.suspension, a.kycExpiry) && (a.roles & role) == role;
    }

    function _isActiveNow(uint8 suspension, uint40 kycExpiry) private view returns (bool) {
        return suspension == _NOT_SUSPENDED && kycExpiry > block.timestamp;
    }

    /// @dev Binds `wallet` (checked unbound, and not marked pull-only unless `pullOnly`) to the entity at the
    ///      end of its wallet list.
    function _bind(bytes32 entityId, Entity storage e, address wallet, bool pullOnly) private {
        uint32 position = e.walletCount;
        e.walletCount = position + 1;
        _walletAt[e.index][position] = wallet;
        _walletEntity[wallet] = entityId;
        _access[wallet] = WalletAccess({
            index: e.index,
            roles: e.roles,
            suspension: e.suspension,
            kycExpiry: e.kycExpiry,
            position: uint8(position), // position < MAX_WALLETS_PER_ENTITY (checked by the callers)
            pullOnly: pullOnly
        });
    }

    /// @dev Copies the entity's roles, suspension and KYC expiry to each of its wallets' WalletAccess.
    ///      At most MAX_WALLETS_PER_ENTITY iterations.
    function _syncWallets(Entity storage e) private {
        (uint32 index, uint8 roles, uint8 suspension, uint40 kycExpiry, uint32 count) = (
            e.index,
            e.roles,
            e.suspension,
            e.kycExpiry,
            e.walletCount
        );
        for (uint256 k = 0; k < count; ++k) {
            WalletAccess storage a = _access[_walletAt[index][k]];
            (a.roles, a.suspension, a.kycExpiry) = (roles, suspension, kycExpiry);
        }
    }

    function _known(bytes32 entityId) private view returns (Entity storage e) {
        e = _entities[entityId];
        require(e.index != 0, ParticipantUnknownEntity(entityId));
    }

    function _checkRoles(uint8 roles) private pure {
        require(roles != 0 && (roles & ~Roles.ALL) == 0, ParticipantInvalidRoles(roles));
    }

    function _checkExpiry(uint40 kycExpiry) private view {
        require(kycExpiry > block.timestamp, ParticipantKycExpiryInPast(kycExpiry, block.timestamp));
    }

    /// @dev `pullOnly` is how the caller binds the wallet: a wallet once marked pull-only stays so.
    function _checkUnboundWallet(address wallet, bool pullOnly) private view {
        require(wallet != address(0), ParticipantZeroAddress());
        bytes32 bound = _walletEntity[wallet];
        require(bound == bytes32(0), ParticipantWalletAlreadyBound(wallet, bound));
        require(pullOnly || !_access[wallet].pullOnly, ParticipantWalletMarkedPullOnly(wallet));
    }

    /// @dev Onboarding that touches REGULATOR (`roles`: the bits requested, or the entity's current ones)
    ///      needs DEFAULT_ADMIN_ROLE; any other onboarding needs ONBOARDER_ROLE.
    function _checkOnboarding(bytes32 entityId, uint8 roles) private view {
        if ((roles & Roles.REGULATOR) == 0) {
            _checkRole(Roles.ONBOARDER_ROLE);
        } else {
            require(
                hasRole(DEFAULT_ADMIN_ROLE, msg.sender),
                ParticipantRegulatorRequiresAdmin(msg.sender, entityId, roles)
            );
        }
    }

    /// @dev Only a regulator suspends or reinstates an entity that holds REGULATOR.
    function _checkRegulatorTarget(Entity storage e, bool byRegulator, bytes32 entityId) private view {
        require(
            byRegulator || (e.roles & Roles.REGULATOR) == 0,
            ParticipantRegulatorRequiresRegulator(msg.sender, entityId)
        );
    }

    /// @dev Returns true when the caller acts as a regulator, false when as an onboarder.
    function _checkOnboarderOrRegulator() private view returns (bool byRegulator) {
        if (_isWalletActive(msg.sender, Roles.REGULATOR)) return true;
        require(hasRole(Roles.ONBOARDER_ROLE, msg.sender), ParticipantNotOnboarderOrRegulator(msg.sender));
        return false;
    }

    /// @dev Reads decimals() defensively: no code, empty or short return data, a revert, or a value over 18
    ///      all become ParticipantUnsupportedCurrency (a try/catch would not catch a failed decode).
    function _readDecimals(address token) private view returns (uint8) {
        require(token.code.length != 0, ParticipantUnsupportedCurrency(token));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = token.staticcall(abi.encodeCall(IERC20Metadata.decimals, ()));
        require(ok && data.length >= 32, ParticipantUnsupportedCurrency(token));
        uint256 d = abi.decode(data, (uint256));
        require(d <= 18, ParticipantUnsupportedCurrency(token));
        return uint8(d); // d ≤ 18
    }
}
