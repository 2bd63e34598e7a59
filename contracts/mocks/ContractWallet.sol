// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ContractWallet
/// @notice Test double of a smart-contract wallet (a corporate treasury's Safe, say): it approves a hash through
///         ERC-1271 when its one owner signed it, and can be told to approve nothing. The e2e governance suite
///         uses a real Safe; this keeps the registry's unit tests independent of it.
contract ContractWallet is IERC1271 {
    address public immutable owner;
    bool public refuseAll;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Makes every later isValidSignature answer "invalid".
    function setRefuseAll(bool refuse) external {
        refuseAll = refuse;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (refuseAll) return 0xffffffff;
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }
}
