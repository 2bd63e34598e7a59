// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {IReceivableRegistry} from "./interfaces/IReceivableRegistry.sol";
import {IPolicySource, IRiskEngine} from "./interfaces/IRiskEngine.sol";
import {RiskMath} from "./libraries/RiskMath.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title RiskEngine
/// @notice Stores rating agents' PDs per buyer entity and assesses receivables with RiskMath: a view that reads
///         the receivable, the buyer's and the seller's records and the rating in a constant number of calls,
///         whatever the length of their history.
/// @dev Ratings are keyed by the buyer's compact index from the participant registry, the same key the
///      receivable registry stores, so an assessment needs no id lookup.
contract RiskEngine is IRiskEngine {
    // ---------------------------------------------------------- immutables

    /// @dev The receivable registry whose receivables and records are assessed.
    IReceivableRegistry private immutable _receivables;
    /// @dev The participant registry (entities and RATING_AGENT_ROLE), taken from the receivable registry.
    IParticipantRegistry private immutable _participants;

    // -------------------------------------------------------------- storage

    /// @notice Longest validity of a rating from the time it is posted.
    uint256 public constant MAX_RATING_VALIDITY = 366 days;

    /// @dev The latest rating posted for each buyer entity by any agent, by compact index.
    mapping(uint32 buyerIndex => Rating) private _ratings;
    /// @dev Each agent's latest rating of each buyer entity.
    mapping(address agent => mapping(uint32 buyerIndex => Rating)) private _agentRatings;
    /// @dev The agent each pool accepts (0: the latest of any agent).
    mapping(address pool => address agent) private _poolAgent;

    // ---------------------------------------------------------- constructor

    /// @param receivables_ The receivable registry; its participant registry is read once and cached.
    constructor(IReceivableRegistry receivables_) {
        _receivables = receivables_;
        _participants = receivables_.participants();
    }

    // -------------------------------------------------------------- ratings

    /// @inheritdoc IRiskEngine
    function setRating(bytes32 buyerEntityId, uint16 pdBps, uint40 validUntil) external {
        require(
            IAccessControl(address(_participants)).hasRole(Roles.RATING_AGENT_ROLE, msg.sender),
            RiskNotRatingAgent(msg.sender)
        );
        require(
            pdBps >= RiskMath.MIN_PD_BPS && pdBps <= RiskMath.BPS,
            RiskPdOutOfRange(pdBps, RiskMath.MIN_PD_BPS, RiskMath.BPS)
        );
        require(validUntil > block.timestamp, RiskRatingExpiryInPast(validUntil, block.timestamp));
        uint256 latestAllowed = block.timestamp + MAX_RATING_VALIDITY;
        require(validUntil <= latestAllowed, RiskRatingValidityTooLong(validUntil, latestAllowed));
        uint32 index = _participants.entity(buyerEntityId).index;
        require(index != 0, RiskUnknownEntity(buyerEntityId));

        Rating memory r = Rating({pdBps: pdBps, validUntil: validUntil});
        _ratings[index] = r;
        _agentRatings[msg.sender][index] = r;
        emit RatingSet(buyerEntityId, msg.sender, pdBps, validUntil);
    }

    /// @inheritdoc IRiskEngine
    function setPoolRatingAgent(address pool, address agent) external {
        require(msg.sender == Ownable(pool).owner(), RiskNotPoolOwner(msg.sender, pool));
        require(
            agent == address(0) || IAccessControl(address(_participants)).hasRole(Roles.RATING_AGENT_ROLE, agent),
            RiskNotRatingAgent(agent)
        );
        _poolAgent[pool] = agent;
        emit PoolRatingAgentSet(pool, agent);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRiskEngine
    function assess(
        uint256 receivableId,
        RiskPolicy calldata policy,
        uint256 buyerExposure
    ) external view returns (Assessment memory a) {
        _assess(receivableId, policy, buyerExposure, msg.sender, a);
    }

    /// @inheritdoc IRiskEngine
    function assessAs(
        uint256 receivableId,
        RiskPolicy calldata policy,
        uint256 buyerExposure,
        address pool
    ) external view returns (Assessment memory a) {
        _assess(receivableId, policy, buyerExposure, pool, a);
    }

    /// @dev The assessment with the rating `pool` accepts, written into `a`.
    function _assess(
        uint256 receivableId,
        RiskPolicy calldata policy,
        uint256 buyerExposure,
        address pool,
        Assessment memory a
    ) private view {
        // The inputs are gathered here, not in a helper returning them: a returned memory struct is first
        // allocated zeroed.
        IReceivableRegistry.RiskData memory record = _receivables.riskDataOf(receivableId);
        Rating storage rt = _ratingOf(pool, record.buyerIndex);
        RiskMath.Inputs memory i = RiskMath.Inputs({
            record: record,
            nowTimestamp: block.timestamp,
            ratingPdBps: rt.pdBps,
            ratingValidUntil: rt.validUntil,
            buyerExposure: buyerExposure
        });
        RiskMath.assess(i, policy, a);
    }

    /// @inheritdoc IRiskEngine
    function assessForPool(uint256 receivableId, address pool) external view returns (Assessment memory) {
        // The pool's policy arrives in memory and RiskMath reads policies from calldata (cheaper for assess,
        // the path the pools pay for), so this view re-enters through assess.
        IPolicySource source = IPolicySource(pool);
        (IReceivableRegistry.Receivable memory r, , ) = _receivables.coreOf(receivableId);
        uint256 exposure = source.buyerExposure(r.buyerIndex);
        return this.assessAs(receivableId, source.policy(), exposure, pool);
    }

    /// @inheritdoc IRiskEngine
    function rating(bytes32 buyerEntityId) external view returns (Rating memory) {
        uint32 index = _participants.entity(buyerEntityId).index;
        return index == 0 ? Rating({pdBps: 0, validUntil: 0}) : _ratings[index];
    }

    /// @inheritdoc IRiskEngine
    function ratingFor(address pool, bytes32 buyerEntityId) external view returns (Rating memory) {
        uint32 index = _participants.entity(buyerEntityId).index;
        return index == 0 ? Rating({pdBps: 0, validUntil: 0}) : _ratingOf(pool, index);
    }

    /// @inheritdoc IRiskEngine
    function ratingAgentOf(address pool) external view returns (address) {
        return _poolAgent[pool];
    }

    /// @dev The rating of buyer `index` that `pool` accepts.
    function _ratingOf(address pool, uint32 index) private view returns (Rating storage) {
        address agent = _poolAgent[pool];
        return agent == address(0) ? _ratings[index] : _agentRatings[agent][index];
    }

    /// @inheritdoc IRiskEngine
    function validatePolicy(RiskPolicy calldata policy) external pure {
        RiskMath.validatePolicy(policy);
    }
}
