// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Hostile test token: once armed, its next `transferFrom` (or `transfer`) first calls `callbackTarget` with
///         `callbackData`, e.g. to re-enter `pay` or `withdraw` of the contract moving the tokens. The hook fires
///         once, then disarms. In bubbling mode a failing callback reverts the whole transfer with the callee's
///         error; otherwise the outcome is recorded in `lastCallSucceeded` / `lastCallResult` and the transfer
///         goes on. `attack` starts the call directly, so a holder-token can re-enter its own withdrawal.
///         6 decimals, open mint. Tests only.
contract ReentrantToken is ERC20 {
    /// @notice Which transfer function triggers the callback.
    enum Hook {
        None,
        TransferFrom,
        Transfer
    }

    /// @notice The armed hook (None when disarmed).
    Hook public hook;
    /// @notice Contract called back.
    address public callbackTarget;
    /// @notice Calldata of the callback.
    bytes public callbackData;
    /// @notice True to revert with the callee's error when the callback fails.
    bool public bubble;
    /// @notice Outcome of the last callback.
    bool public lastCallSucceeded;
    /// @notice Return or revert data of the last callback.
    bytes public lastCallResult;
    /// @notice Number of callbacks made.
    uint256 public callbackCount;

    event CallbackMade(address indexed target, bool success, bytes result);

    constructor() ERC20("Reentrant USD", "reUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Lets this token contract approve `spender` over its own balance, so a re-entered `pay` could
    ///         actually pay if nothing stopped it.
    function approveFromSelf(address spender, uint256 amount) external {
        _approve(address(this), spender, amount);
    }

    /// @notice Arms the callback for the next `hook_` transfer.
    function arm(Hook hook_, address callbackTarget_, bytes calldata callbackData_, bool bubble_) external {
        hook = hook_;
        callbackTarget = callbackTarget_;
        callbackData = callbackData_;
        bubble = bubble_;
    }

    /// @notice Makes the configured call now, as an attacker contract would, leaving the hook armed so that the
    ///         callee's own transfer of this token re-enters it. Bubbles a failure.
    function attack() external returns (bytes memory result) {
        bool success;
        // solhint-disable-next-line avoid-low-level-calls
        (success, result) = callbackTarget.call(callbackData);
        if (!success) _revertWith(result);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @inheritdoc ERC20
    function transfer(address to, uint256 value) public override returns (bool) {
        if (hook == Hook.Transfer) _callback();
        return super.transfer(to, value);
    }

    /// @inheritdoc ERC20
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (hook == Hook.TransferFrom) _callback();
        return super.transferFrom(from, to, value);
    }

    /// @dev Disarms first, so a callback that reaches this token again cannot loop.
    function _callback() private {
        hook = Hook.None;
        callbackCount += 1;
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory result) = callbackTarget.call(callbackData);
        lastCallSucceeded = success;
        lastCallResult = result;
        emit CallbackMade(callbackTarget, success, result);
        if (!success && bubble) _revertWith(result);
    }

    /// @dev Reverts with `reason` exactly as the callee did.
    function _revertWith(bytes memory reason) private pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 32), mload(reason))
        }
    }
}
