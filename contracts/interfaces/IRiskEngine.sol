// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRiskEngine
/// @notice Explainable, deterministic, O(1) credit assessment of a receivable for a bank's risk policy.
///         Inputs: the rating agent's probability of default (PD) for the buyer, the buyer's payment record,
///         the tenor to the due date, the seller's dilution, the receivable's status, and the financier's
///         current exposure to the buyer. See docs/RISK_MODEL.md.
/// @dev Trust: RATING_AGENT_ROLE (held in the participant registry) is trusted to post honest PDs; a stale or
///      missing rating falls back to the policy's unrated PD and is flagged.
interface IRiskEngine {
    // ------------------------------------------------------------------ types

    /// @notice Credit grades, best first.
    enum Grade {
        A,
        B,
        C,
        D,
        E
    }

    /// @notice A bank's risk policy. All rates are in basis points (1 bp = 0.01 %).
    /// @param advanceRateBps Advance rate per grade A..E: each ≤ 10 000 and non-increasing from A to E.
    /// @param gradeMaxPdBps Upper bound of the adjusted annual PD for grades A..D, strictly increasing and
    ///        ≤ 10 000; anything above the D bound is grade E.
    /// @param baseRateBps Annual funding rate charged on the advance for the tenor.
    /// @param lgdBps Loss given default, ≤ 10 000.
    /// @param unratedPdBps Annual PD assumed when the buyer has no valid rating, ≤ 10 000.
    /// @param minGrade Worst acceptable grade (0 = A … 4 = E).
    /// @param maxBuyerDefaults Number of defaults in the buyer's record tolerated before BUYER_DEFAULTED blocks.
    /// @param maxTenorDays Longest remaining tenor financed (> 0).
    /// @param buyerExposureLimit Maximum outstanding advances to one buyer entity (pool currency units).
    /// @param totalExposureLimit Maximum outstanding advances of the pool (enforced by the pool).
    /// @param autoApprovalLimit Advances up to this execute at once; larger ones wait for the manager.
    /// @param recourse Whether the supplier may (and is expected to) buy back a defaulted receivable.
    struct RiskPolicy {
        uint16[5] advanceRateBps;
        uint16[4] gradeMaxPdBps;
        uint16 baseRateBps;
        uint16 lgdBps;
        uint16 unratedPdBps;
        uint8 minGrade;
        uint8 maxBuyerDefaults;
        uint32 maxTenorDays;
        uint128 buyerExposureLimit;
        uint128 totalExposureLimit;
        uint128 autoApprovalLimit;
        bool recourse;
    }

    /// @notice A rating agent's opinion of a buyer entity.
    struct Rating {
        uint16 pdBps;
        uint40 validUntil;
    }

    /// @notice The result of an assessment.
    /// @param grade Credit grade from the adjusted annual PD.
    /// @param pdBps Adjusted annual PD (rating or unrated PD, adjusted by the buyer's record and dilution).
    /// @param horizonPdBps PD over the remaining tenor (annual PD × tenor / 365, capped at 10 000).
    /// @param advanceRateBps The policy's advance rate for the grade (0 when ineligible).
    /// @param discountBps Fee as a share of the advance: base rate for the tenor + horizon PD × LGD.
    /// @param tenorDays Remaining days to the due date, rounded up.
    /// @param maxAdvance Outstanding amount × advance rate (0 when ineligible).
    /// @param reasonCodes Bit set of reasons (see RiskMath.REASON_*), blocking and informative.
    /// @param eligible True when no blocking reason is set.
    struct Assessment {
        Grade grade;
        uint16 pdBps;
        uint16 horizonPdBps;
        uint16 advanceRateBps;
        uint16 discountBps;
        uint32 tenorDays;
        uint256 maxAdvance;
        uint256 reasonCodes;
        bool eligible;
    }

    // ----------------------------------------------------------------- events

    /// @notice A rating agent posted a buyer's PD.
    event RatingSet(bytes32 indexed buyerEntityId, address indexed agent, uint16 pdBps, uint40 validUntil);
    /// @notice A pool's owner chose the rating agent whose ratings the pool accepts (0: the latest of any agent).
    event PoolRatingAgentSet(address indexed pool, address indexed agent);

    // ----------------------------------------------------------------- errors

    /// @notice The caller does not hold RATING_AGENT_ROLE.
    error RiskNotRatingAgent(address caller);
    /// @notice The PD is below the floor (RiskMath.MIN_PD_BPS: a PD of 0 does not mean "no risk") or above 10 000.
    error RiskPdOutOfRange(uint256 pdBps, uint256 minPdBps, uint256 maxPdBps);
    /// @notice The rating's expiry is not in the future.
    error RiskRatingExpiryInPast(uint256 validUntil, uint256 nowTimestamp);
    /// @notice The rating's expiry is further away than the longest validity allowed.
    error RiskRatingValidityTooLong(uint256 validUntil, uint256 latestAllowed);
    /// @notice Only the pool's owner chooses its rating agent.
    error RiskNotPoolOwner(address caller, address pool);
    /// @notice The buyer entity is not registered.
    error RiskUnknownEntity(bytes32 entityId);
    /// @notice The policy is invalid; `field` names the first offending field.
    error RiskInvalidPolicy(string field);

    // ---------------------------------------------------------------- actions

    /// @notice Posts the annual PD of a buyer entity, valid until `validUntil`. Only RATING_AGENT_ROLE. The PD is
    ///         at least RiskMath.MIN_PD_BPS (0.03 %) and the validity at most MAX_RATING_VALIDITY (366 days) from now.
    /// @param buyerEntityId The rated buyer entity.
    /// @param pdBps Annual probability of default, in bps (3 … 10 000).
    /// @param validUntil Expiry (Unix seconds): after it the pool's unrated PD applies.
    function setRating(bytes32 buyerEntityId, uint16 pdBps, uint40 validUntil) external;

    /// @notice The owner of `pool` chooses the one rating agent whose ratings the pool accepts; 0 restores the
    ///         default (the latest rating of any agent). A chosen agent that loses RATING_AGENT_ROLE keeps its
    ///         past ratings until they expire; choose again to drop them.
    /// @param pool The financing pool (an Ownable contract).
    /// @param agent A RATING_AGENT_ROLE holder, or 0.
    function setPoolRatingAgent(address pool, address agent) external;

    // ------------------------------------------------------------------ views

    /// @notice Assesses receivable `receivableId` under `policy`, given the financier's current outstanding
    ///         advances to the receivable's buyer, with the rating the caller accepts (a pool's chosen agent, else
    ///         the latest of any agent). View, O(1).
    /// @param receivableId The receivable.
    /// @param policy The financier's risk policy.
    /// @param buyerExposure The financier's outstanding advances to the buyer.
    /// @return The assessment.
    function assess(
        uint256 receivableId,
        RiskPolicy calldata policy,
        uint256 buyerExposure
    ) external view returns (Assessment memory);

    /// @notice As assess, with the rating that `pool` accepts.
    /// @param receivableId The receivable.
    /// @param policy The risk policy.
    /// @param buyerExposure The outstanding advances to the buyer.
    /// @param pool The pool whose rating-agent choice applies.
    /// @return The assessment.
    function assessAs(
        uint256 receivableId,
        RiskPolicy calldata policy,
        uint256 buyerExposure,
        address pool
    ) external view returns (Assessment memory);

    /// @notice Assesses receivable `receivableId` under a pool's stored policy, exposure and rating agent.
    /// @param receivableId The receivable.
    /// @param pool The pool.
    /// @return The assessment.
    function assessForPool(uint256 receivableId, address pool) external view returns (Assessment memory);

    /// @notice The latest rating of a buyer entity by any agent (zero when none).
    /// @param buyerEntityId The buyer entity.
    /// @return The rating.
    function rating(bytes32 buyerEntityId) external view returns (Rating memory);

    /// @notice The rating of a buyer entity that `pool` accepts (its chosen agent's, else the latest).
    /// @param pool The pool.
    /// @param buyerEntityId The buyer entity.
    /// @return The rating.
    function ratingFor(address pool, bytes32 buyerEntityId) external view returns (Rating memory);

    /// @notice The rating agent `pool` accepts (0: the latest of any agent).
    /// @param pool The pool.
    /// @return The agent.
    function ratingAgentOf(address pool) external view returns (address);

    /// @notice Reverts RiskInvalidPolicy(field) when `policy` is invalid.
    /// @param policy The policy to check (rates in bps, limits in the pool currency's base units).
    function validatePolicy(RiskPolicy calldata policy) external pure;
}

/// @title IPolicySource
/// @notice What the risk engine reads from a financing pool.
interface IPolicySource {
    /// @notice The pool's current risk policy.
    /// @return The policy (rates in bps, limits in the pool currency's base units).
    function policy() external view returns (IRiskEngine.RiskPolicy memory);

    /// @notice The pool's outstanding advances to a buyer entity, by compact index.
    /// @param buyerIndex The buyer entity's compact index in the participant registry.
    /// @return The net paid out not yet recovered on that buyer's receivables, in the pool currency's base units.
    function buyerExposure(uint32 buyerIndex) external view returns (uint256);
}
