// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BlacklistToken
/// @notice Hostile test token shaped like USDC/USDT freezes: the owner (the deployer) blacklists addresses,
///         and any transfer from or to a blacklisted address reverts. 6 decimals, open mint. Tests only.
contract BlacklistToken is ERC20 {
    /// @notice The account allowed to blacklist (the deployer).
    address public immutable owner;
    /// @notice True for every blacklisted account.
    mapping(address account => bool blocked) public blacklisted;

    event BlacklistSet(address indexed account, bool blocked);

    error BlacklistTokenNotOwner(address caller);
    error BlacklistTokenBlocked(address account);

    constructor() ERC20("Blacklist USD", "blUSD") {
        owner = msg.sender;
    }

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The owner blacklists `account` (or lifts it).
    function setBlacklisted(address account, bool blocked) external {
        require(msg.sender == owner, BlacklistTokenNotOwner(msg.sender));
        blacklisted[account] = blocked;
        emit BlacklistSet(account, blocked);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @dev Refuses any movement touching a blacklisted account.
    function _update(address from, address to, uint256 value) internal override {
        require(!blacklisted[from], BlacklistTokenBlocked(from));
        require(!blacklisted[to], BlacklistTokenBlocked(to));
        super._update(from, to, value);
    }
}
