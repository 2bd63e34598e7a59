// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Roles
/// @notice Business-role bits of a participant entity and the access-control role ids of a deployment.
library Roles {
    /// @notice An SME that issues invoices (seller).
    uint8 internal constant SUPPLIER = 1;
    /// @notice A debtor that acknowledges and pays invoices.
    uint8 internal constant BUYER = 2;
    /// @notice A bank or other lender that finances receivables.
    uint8 internal constant FINANCIER = 4;
    /// @notice A supervisor that may freeze receivables and suspend participants.
    uint8 internal constant REGULATOR = 8;
    /// @notice All known role bits.
    uint8 internal constant ALL = SUPPLIER | BUYER | FINANCIER | REGULATOR;

    /// @notice Registers and edits entities (a KYC agent, usually a bank).
    bytes32 internal constant ONBOARDER_ROLE = keccak256("ONBOARDER_ROLE");
    /// @notice Pauses new business (never payments).
    bytes32 internal constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Posts buyers' probabilities of default.
    bytes32 internal constant RATING_AGENT_ROLE = keccak256("RATING_AGENT_ROLE");
}
