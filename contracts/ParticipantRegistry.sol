// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ParticipantRegistry
/// @notice Entities, their wallets, role bits, KYC expiry and suspension; the settlement-currency allowlist;
///         and the access-control hub (ONBOARDER_ROLE, PAUSER_ROLE, RATING_AGENT_ROLE) of a deployment.
contract ParticipantRegistry is IParticipantRegistry, AccessControlDefaultAdminRules {
    // ------------------------------------------------------------ constants

    /// @notice Role ids re-exported for off-chain callers.
    bytes32 public constant ONBOARDER_ROLE = Roles.ONBOARDER_ROLE;
    /// @notice Guardian role: pauses new business, never payments.
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER_ROLE;
    /// @notice Posts buyers' probabilities of default to the risk engine.
    bytes32 public constant RATING_AGENT_ROLE = Roles.RATING_AGENT_ROLE;

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

    // ------------------------------------------------------------ modifiers

    modifier onlyOnboarder() {
        _checkRole(Roles.ONBOARDER_ROLE);
        _;
    }

    // ----------------------------------------------------------- onboarding

    /// @inheritdoc IParticipantRegistry
    function registerEntity(
        bytes32 entityId,
        uint8 roles,
        uint40 kycExpiry,
        address wallet
    ) external onlyOnboarder returns (uint32 index) {
        require(entityId != bytes32(0), ParticipantZeroEntityId());
        require(_entities[entityId].index == 0, ParticipantAlreadyRegistered(entityId));
        _checkRoles(roles);
        _checkExpiry(kycExpiry);
        _checkUnboundWallet(wallet);

        index = ++_entityCount;
        _entities[entityId] = Entity({index: index, roles: roles, suspension: 0, kycExpiry: kycExpiry, walletCount: 1});
        _entityIds[index] = entityId;
        _walletEntity[wallet] = entityId;
        emit EntityRegistered(entityId, index, roles, kycExpiry);
        emit WalletAdded(entityId, wallet);
    }

    /// @inheritdoc IParticipantRegistry
    function setRoles(bytes32 entityId, uint8 roles) external onlyOnboarder {
        Entity storage e = _known(entityId);
        _checkRoles(roles);
        uint8 previous = e.roles;
        e.roles = roles;
        emit RolesChanged(entityId, previous, roles);
    }

    /// @inheritdoc IParticipantRegistry
    function setKycExpiry(bytes32 entityId, uint40 kycExpiry) external onlyOnboarder {
        Entity storage e = _known(entityId);
        _checkExpiry(kycExpiry);
        uint40 previous = e.kycExpiry;
        e.kycExpiry = kycExpiry;
        emit KycExpiryChanged(entityId, previous, kycExpiry);
    }

    /// @inheritdoc IParticipantRegistry
    function addWallet(bytes32 entityId, address wallet) external onlyOnboarder {
        Entity storage e = _known(entityId);
        _checkUnboundWallet(wallet);
        _walletEntity[wallet] = entityId;
        e.walletCount += 1;
        emit WalletAdded(entityId, wallet);
    }

    /// @inheritdoc IParticipantRegistry
    function removeWallet(address wallet) external onlyOnboarder {
        bytes32 entityId = _walletEntity[wallet];
        require(entityId != bytes32(0), ParticipantWalletNotBound(wallet));
        delete _walletEntity[wallet];
        _entities[entityId].walletCount -= 1;
        emit WalletRemoved(entityId, wallet);
    }

    /// @inheritdoc IParticipantRegistry
    function suspend(bytes32 entityId, bytes32 reason) external {
        bool byRegulator = _checkOnboarderOrRegulator();
        Entity storage e = _known(entityId);
        require(e.suspension == _NOT_SUSPENDED, ParticipantAlreadySuspended(entityId, e.suspension));
        e.suspension = byRegulator ? _SUSPENDED_BY_REGULATOR : _SUSPENDED_BY_ONBOARDER;
        emit EntitySuspended(entityId, msg.sender, byRegulator, reason);
    }

    /// @inheritdoc IParticipantRegistry
    function reinstate(bytes32 entityId) external {
        bool byRegulator = _checkOnboarderOrRegulator();
        Entity storage e = _known(entityId);
        require(e.suspension != _NOT_SUSPENDED, ParticipantNotSuspended(entityId));
        require(byRegulator || e.suspension == _SUSPENDED_BY_ONBOARDER, ParticipantSuspendedByRegulator(entityId));
        e.suspension = _NOT_SUSPENDED;
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
        bytes32 entityId = _walletEntity[wallet];
        return entityId != bytes32(0) && _isActive(_entities[entityId], role);
    }

    /// @inheritdoc IParticipantRegistry
    function isEntityActive(bytes32 entityId, uint8 role) external view returns (bool) {
        return _isActive(_entities[entityId], role);
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
        bytes32 entityId = _walletEntity[wallet];
        if (entityId == bytes32(0)) return (0, 0, false);
        Entity memory e = _entities[entityId];
        return (e.index, e.roles, e.suspension == _NOT_SUSPENDED && e.kycExpiry > block.timestamp);
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
        return
            e.index != 0 && e.suspension == _NOT_SUSPENDED && e.kycExpiry > block.timestamp && (e.roles & role) == role;
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

    function _checkUnboundWallet(address wallet) private view {
        require(wallet != address(0), ParticipantZeroAddress());
        bytes32 bound = _walletEntity[wallet];
        require(bound == bytes32(0), ParticipantWalletAlreadyBound(wallet, bound));
    }

    /// @dev Returns true when the caller acts as a regulator, false when as an onboarder.
    function _checkOnboarderOrRegulator() private view returns (bool byRegulator) {
        bytes32 callerEntity = _walletEntity[msg.sender];
        if (callerEntity != bytes32(0) && _isActive(_entities[callerEntity], Roles.REGULATOR)) return true;
        require(hasRole(Roles.ONBOARDER_ROLE, msg.sender), ParticipantNotOnboarderOrRegulator(msg.sender));
        return false;
    }

    function _readDecimals(address token) private view returns (uint8) {
        try IERC20Metadata(token).decimals() returns (uint8 d) {
            require(d <= 18, ParticipantUnsupportedCurrency(token));
            return d;
        } catch {
            revert ParticipantUnsupportedCurrency(token);
        }
    }
}
